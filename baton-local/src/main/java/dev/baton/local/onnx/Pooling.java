package dev.baton.local.onnx;

import java.util.List;

/**
 * How token embeddings become one sentence embedding, as sentence-transformers' {@code Pooling} module
 * does it; each uses only the tokens the attention mask marks as real, never the padding.
 */
enum Pooling {
  /** The mean of the token embeddings ({@code pooling_mode_mean_tokens}). */
  MEAN("mean"),
  /** The first token's embedding, {@code [CLS]} ({@code pooling_mode_cls_token}). */
  CLS("cls"),
  /** The largest value of each dimension over the tokens ({@code pooling_mode_max_tokens}). */
  MAX("max"),
  /** The last real token's embedding ({@code pooling_mode_lasttoken}). */
  LAST_TOKEN("lasttoken");

  static final List<String> NAMES = List.of("mean", "cls", "max", "lasttoken");

  private final String setting;

  Pooling(String setting) {
    this.setting = setting;
  }

  String setting() {
    return setting;
  }

  static Pooling named(String setting) {
    for (Pooling p : values()) {
      if (p.setting.equals(setting)) {
        return p;
      }
    }
    throw new IllegalArgumentException(setting);
  }

  /**
   * Pools one sentence's token embeddings into {@code out}.
   *
   * @param hidden the batch's token embeddings, {@code [batch, tokens, width]} flattened
   * @param row the sentence's row in the batch
   * @param tokens the padded length of every row
   * @param real how many of the row's tokens are real (its attention mask is 1 for the first {@code real})
   */
  void pool(float[] hidden, int row, int tokens, int real, float[] out) {
    int width = out.length;
    int base = row * tokens * width;
    switch (this) {
      case CLS -> System.arraycopy(hidden, base, out, 0, width);
      case LAST_TOKEN -> System.arraycopy(hidden, base + (real - 1) * width, out, 0, width);
      case MAX -> {
        System.arraycopy(hidden, base, out, 0, width);
        for (int t = 1; t < real; t++) {
          int at = base + t * width;
          for (int d = 0; d < width; d++) {
            out[d] = Math.max(out[d], hidden[at + d]);
          }
        }
      }
      case MEAN -> {
        java.util.Arrays.fill(out, 0f);
        for (int t = 0; t < real; t++) {
          int at = base + t * width;
          for (int d = 0; d < width; d++) {
            out[d] += hidden[at + d];
          }
        }
        float n = Math.max(real, 1);
        for (int d = 0; d < width; d++) {
          out[d] /= n;
        }
      }
    }
  }
}
