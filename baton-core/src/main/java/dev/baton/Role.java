package dev.baton;

import org.jspecify.annotations.Nullable;

/** Who a chat message is from, with OpenAI's wire names. */
public enum Role {
  SYSTEM("system"),
  DEVELOPER("developer"),
  USER("user"),
  ASSISTANT("assistant"),
  TOOL("tool"),
  /** The legacy function-result role; prefer {@link #TOOL}. */
  FUNCTION("function");

  private final String wire;

  Role(String wire) {
    this.wire = wire;
  }

  /** The name on the wire, such as {@code assistant}. */
  public String wire() {
    return wire;
  }

  /** {@code values()} copies its array on every call; this is read for every message. */
  private static final Role[] ALL = values();

  /** The role with that wire name, or null if there is none. */
  public static @Nullable Role fromWire(String name) {
    for (Role role : ALL) {
      if (role.wire.equals(name)) {
        return role;
      }
    }
    return null;
  }
}
