/**
 * The router's meters in Micrometer: what the gateway's {@code /metrics} and the Spring Boot starter both
 * record, named once. Micrometer is an optional dependency of the SDK: nothing outside this package refers
 * to a Micrometer type, so an application without it loads no class of it.
 */
@NullMarked
package dev.baton.micrometer;

import org.jspecify.annotations.NullMarked;
