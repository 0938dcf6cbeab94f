/** Stored Responses-API responses, in the database, for {@code previous_response_id} on any instance. */
@NullMarked
package dev.baton.store.responses;

import org.jspecify.annotations.NullMarked;
