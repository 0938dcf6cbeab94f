package dev.baton.redis;

import dev.baton.store.keys.VirtualKeys;

/**
 * Key and team changes made through one instance, taken to every other: each change is announced on the
 * events channel and the others reload that key or team from the shared database, within milliseconds.
 * Announcements made while Redis was away are lost, so when it answers again every key and team is
 * reloaded; the platform's own refresh every 30 s is the last safety net.
 */
final class KeyChanges implements VirtualKeys.Listener {

  private final RedisLink link;

  KeyChanges(RedisLink link, VirtualKeys keys) {
    this.link = link;
    link.subscribe("key", keys::invalidateKey);
    link.subscribe("team", keys::invalidateTeam);
    link.onUp(empty -> keys.refresh());
    keys.addListener(this);
  }

  @Override
  public void keyChanged(String keyId) {
    link.publish("key", keyId);
  }

  @Override
  public void teamChanged(String teamId) {
    link.publish("team", teamId);
  }
}
