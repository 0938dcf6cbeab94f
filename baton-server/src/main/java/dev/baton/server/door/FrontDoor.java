package dev.baton.server.door;

import java.util.List;

/**
 * One inbound protocol: turns its requests into the router's one request model ({@code dev.baton}) and
 * the router's answers and streams back into its own bytes and events, with its own error shape. Doors
 * share nothing but that model and {@link Answers}; a protocol's quirks stay in its door, and translation
 * between protocols goes through the model, never door to door.
 */
public interface FrontDoor {

  /** Where the door is mounted; each route's path under {@code /v1} is also served without it. */
  List<Route> routes();
}
