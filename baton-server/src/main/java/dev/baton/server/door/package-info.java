/**
 * The front doors: one per inbound protocol, each turning its requests into the router's request model
 * and the router's answers and streams back into its own bytes, events and error shape.
 */
@NullMarked
package dev.baton.server.door;

import org.jspecify.annotations.NullMarked;
