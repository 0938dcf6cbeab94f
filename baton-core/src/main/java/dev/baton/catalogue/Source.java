package dev.baton.catalogue;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * Where a catalogue figure comes from: the provider's own page, and the day it was read.
 *
 * @param url the provider's page the figures are published on
 * @param read the day they were read
 * @param via the copy of the page they were read through, when the page itself could not be reached
 *     (a transcription that quotes it, dated), or null when they were read on the page
 */
public record Source(String url, LocalDate read, @Nullable String via) {

  public Source(String url, LocalDate read) {
    this(url, read, null);
  }
}
