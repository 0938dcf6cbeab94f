/**
 * Baton's traces in OpenTelemetry: a span per request and a child span per upstream attempt, named and
 * attributed by the OpenTelemetry GenAI semantic conventions, with the fallback trail as {@code baton.*}
 * attributes and events. Used only when an {@code OpenTelemetry} is given to {@code Baton.builder()}:
 * nothing outside this package refers to an OpenTelemetry type, so without one no class of it is loaded,
 * and the OpenTelemetry API is an optional dependency of the SDK.
 */
@NullMarked
package dev.baton.otel;

import org.jspecify.annotations.NullMarked;
