/** Virtual keys: secrets, the in-memory lookup every request uses, and the effective limits of a key. */
@NullMarked
package dev.baton.store.keys;

import org.jspecify.annotations.NullMarked;
