/** The response cache's storage SPI: a store of opaque entries, local or shared. */
@NullMarked
package dev.baton.cache;

import org.jspecify.annotations.NullMarked;
