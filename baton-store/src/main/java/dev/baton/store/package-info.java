/**
 * Virtual keys, teams, budgets, the spend and request log and stored responses (contract section 7):
 * the {@link dev.baton.store.Store} interface and its values, and {@link dev.baton.store.KeyPlatform},
 * which assembles keys, limits, the spend log, the admin API and stored responses over one database.
 */
@NullMarked
package dev.baton.store;

import org.jspecify.annotations.NullMarked;
