/** The {@link dev.baton.store.Store} on JDBC: SQLite (embedded) and PostgreSQL, one schema, Flyway migrations. */
@NullMarked
package dev.baton.store.jdbc;

import org.jspecify.annotations.NullMarked;
