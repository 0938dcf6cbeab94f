/** The spend and request log: written behind in batches, kept in a journal while the database is away. */
@NullMarked
package dev.baton.store.spend;

import org.jspecify.annotations.NullMarked;
