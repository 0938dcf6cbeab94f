/**
 * {@code provider: onnx}: sentence embeddings in-process on ONNX Runtime, from any sentence-transformers
 * ONNX export ({@code model.onnx} and {@code tokenizer.json} in a folder), or the bundled
 * all-MiniLM-L6-v2.
 */
@NullMarked
package dev.baton.local.onnx;

import org.jspecify.annotations.NullMarked;
