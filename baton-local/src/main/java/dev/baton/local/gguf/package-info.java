/**
 * {@code provider: gguf}: chat and text completions in-process on llama.cpp (through its Java binding,
 * {@code de.kherud:llama}), from a GGUF model file.
 */
@NullMarked
package dev.baton.local.gguf;

import org.jspecify.annotations.NullMarked;
