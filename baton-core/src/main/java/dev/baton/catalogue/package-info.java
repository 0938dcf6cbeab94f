/**
 * The model catalogue: for each known model of each provider, its context window, output limit, prices
 * and capabilities, each figure with the page it was read from and the date it was read. Built in as
 * {@code models.yaml}, merged under a user's own file, and used for whatever a deployment's configuration
 * leaves unset.
 */
@NullMarked
package dev.baton.catalogue;

import org.jspecify.annotations.NullMarked;
