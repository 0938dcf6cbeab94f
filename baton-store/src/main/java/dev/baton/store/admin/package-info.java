/** The {@code /admin} API's logic, independent of any HTTP server: a request in, a status and JSON out. */
@NullMarked
package dev.baton.store.admin;

import org.jspecify.annotations.NullMarked;
