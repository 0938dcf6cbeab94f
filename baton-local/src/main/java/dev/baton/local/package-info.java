/**
 * Models that run inside the JVM from a file, with no server, no key and no network: {@code provider:
 * onnx} ({@link dev.baton.local.onnx}) for embeddings and {@code provider: gguf} ({@link
 * dev.baton.local.gguf}) for chat and completions. Both are found by baton-core through
 * {@code META-INF/services/dev.baton.provider.ProviderFactory}. Native inference runs on a small pool of
 * platform threads per deployment ({@link dev.baton.local.InferencePool}), never on the caller's virtual
 * thread, which a blocking native call would pin to its carrier.
 */
@NullMarked
package dev.baton.local;

import org.jspecify.annotations.NullMarked;
