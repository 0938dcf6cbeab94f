package dev.baton.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny llama-architecture model in the GGUF v3 format, so llama.cpp can be tested for real with
 * no model download: a few layers of random F32 weights and a SentencePiece vocabulary of {@code <unk>},
 * {@code <s>}, {@code </s>} and the 256 byte tokens {@code <0x00>}…{@code <0xFF>}, so any text tokenizes.
 *
 * <p>Its text is gibberish, but shaped so tests can assert exact figures. The output layer favours the
 * byte tokens of {@link #ALPHABET} by a wide margin (one dimension of every embedding is a large constant,
 * and the output rows weigh it positively for those tokens and negatively for all others), so every
 * generated token is one character of that alphabet and the end-of-sequence token is never chosen: a
 * generation runs until its token limit or a stop sequence, and its text has exactly as many characters
 * as tokens. With temperature 0 the text is the same on every run.
 *
 * <p>The layout follows the GGUF specification (ggml's {@code docs/gguf.md}): a header (magic, version,
 * tensor and key/value counts), the metadata key/values, the tensor infos, then each tensor's data at a
 * 32-byte aligned offset. Dimensions are listed innermost first, as ggml's {@code ne}.
 */
public final class TinyGguf {

  /** The characters the model writes: lower-case letters and the space. */
  public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ";

  /** The chat template in the model's metadata by default: ChatML, as Qwen's models have it. */
  public static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role']"
      + " + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
      + "{{ '<|im_start|>assistant\n' }}{% endif %}";

  /** Gemma's chat template, whose turns look nothing like ChatML's. */
  public static final String GEMMA_TEMPLATE = "{{ bos_token }}{% for message in messages %}{% set role = 'model'"
      + " if message['role'] == 'assistant' else message['role'] %}{{ '<start_of_turn>' + role + '\n'"
      + " + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}"
      + "{{ '<start_of_turn>model\n' }}{% endif %}";

  private static final int ALIGNMENT = 32;
  private static final int BYTE_TOKENS = 3;
  private static final int VOCAB = BYTE_TOKENS + 256;

  private int layers = 2;
  private int embedding = 64;
  private int heads = 4;
  private int feedForward = 128;
  private int contextLength = 2048;
  private long seed = 20261204L;
  private String chatTemplate = CHATML_TEMPLATE;
  private String architecture = "llama";

  private TinyGguf() {}

  /** A model with the defaults: two layers, 64-wide embeddings, four heads, a 2048-token context. */
  public static TinyGguf model() {
    return new TinyGguf();
  }

  public TinyGguf layers(int layers) {
    this.layers = layers;
    return this;
  }

  /** The embedding width; a multiple of the head count. */
  public TinyGguf embedding(int embedding) {
    this.embedding = embedding;
    return this;
  }

  /** The context length the model declares it was trained with ({@code llama.context_length}). */
  public TinyGguf contextLength(int contextLength) {
    this.contextLength = contextLength;
    return this;
  }

  /** The seed of the random weights: equal seeds give equal files. */
  public TinyGguf seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The chat template stored in the file ({@code tokenizer.chat_template}). */
  public TinyGguf chatTemplate(String chatTemplate) {
    this.chatTemplate = chatTemplate;
    return this;
  }

  /**
   * The architecture the file declares ({@code general.architecture}); the weights stay llama's, so any
   * other name makes a file llama.cpp refuses to load.
   */
  public TinyGguf architecture(String architecture) {
    this.architecture = architecture;
    return this;
  }

  /** Writes the model to {@code file}, replacing it, and returns the file. */
  public Path writeTo(Path file) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * How many tokens llama.cpp makes of {@code text} in this vocabulary, the start-of-sequence token
   * included: one byte token per UTF-8 byte, after SentencePiece's escaping of each space as
   * {@code U+2581} (three bytes).
   */
  public static int promptTokens(String text) {
    return 1 + text.replace(' ', '\u2581').getBytes(StandardCharsets.UTF_8).length;
  }

  private void write(OutputStream out) throws IOException {
    if (embedding % heads != 0) {
      throw new IllegalArgumentException("the embedding width must be a multiple of the head count");
    }
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, float[]> tensors = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensor(tensors, shapes, "token_embd.weight", embeddings(random), embedding, VOCAB);
    tensor(tensors, shapes, "output_norm.weight", ones(embedding), embedding);
    tensor(tensors, shapes, "output.weight", outputRows(random), embedding, VOCAB);
    for (int i = 0; i < layers; i++) {
      String blk = "blk." + i + ".";
      tensor(tensors, shapes, blk + "attn_norm.weight", ones(embedding), embedding);
      tensor(tensors, shapes, blk + "attn_q.weight", gaussian(random, embedding * embedding, 0.1), embedding, embedding);
      tensor(tensors, shapes, blk + "attn_k.weight", gaussian(random, embedding * embedding, 0.1), embedding, embedding);
      tensor(tensors, shapes, blk + "attn_v.weight", gaussian(random, embedding * embedding, 0.1), embedding, embedding);
      tensor(tensors, shapes, blk + "attn_output.weight", gaussian(random, embedding * embedding, 0.05),
          embedding, embedding);
      tensor(tensors, shapes, blk + "ffn_norm.weight", ones(embedding), embedding);
      tensor(tensors, shapes, blk + "ffn_gate.weight", gaussian(random, embedding * feedForward, 0.1),
          embedding, feedForward);
      tensor(tensors, shapes, blk + "ffn_up.weight", gaussian(random, embedding * feedForward, 0.1),
          embedding, feedForward);
      tensor(tensors, shapes, blk + "ffn_down.weight", gaussian(random, embedding * feedForward, 0.05),
          feedForward, embedding);
    }

    Gguf file = new Gguf();
    file.string("general.architecture", architecture);
    file.string("general.name", "baton-tiny");
    file.u32("general.alignment", ALIGNMENT);
    file.u32("llama.context_length", contextLength);
    file.u32("llama.embedding_length", embedding);
    file.u32("llama.block_count", layers);
    file.u32("llama.feed_forward_length", feedForward);
    file.u32("llama.attention.head_count", heads);
    file.u32("llama.attention.head_count_kv", heads);
    file.u32("llama.rope.dimension_count", embedding / heads);
    file.f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    file.string("tokenizer.ggml.model", "llama");
    file.strings("tokenizer.ggml.tokens", vocabulary());
    file.floats("tokenizer.ggml.scores", new float[VOCAB]);
    file.ints("tokenizer.ggml.token_type", tokenTypes());
    file.u32("tokenizer.ggml.unknown_token_id", 0);
    file.u32("tokenizer.ggml.bos_token_id", 1);
    file.u32("tokenizer.ggml.eos_token_id", 2);
    file.bool("tokenizer.ggml.add_bos_token", true);
    file.bool("tokenizer.ggml.add_eos_token", false);
    file.bool("tokenizer.ggml.add_space_prefix", false);
    file.string("tokenizer.chat_template", chatTemplate);
    file.writeTo(out, tensors, shapes);
  }

  private static void tensor(
      Map<String, float[]> tensors, Map<String, long[]> shapes, String name, float[] data, long... shape) {
    tensors.put(name, data);
    shapes.put(name, shape);
  }

  /** Random embeddings whose first dimension is a large constant: it carries the output layer's bias. */
  private float[] embeddings(SplittableRandom random) {
    float[] data = gaussian(random, VOCAB * embedding, 1.0);
    for (int token = 0; token < VOCAB; token++) {
      data[token * embedding] = (float) Math.sqrt(embedding);
    }
    return data;
  }

  /** One row per token: random, plus a strong bias for the alphabet's bytes and against everything else. */
  private float[] outputRows(SplittableRandom random) {
    float[] data = gaussian(random, VOCAB * embedding, 0.3);
    for (int token = 0; token < VOCAB; token++) {
      boolean favoured = token >= BYTE_TOKENS && ALPHABET.indexOf((char) (token - BYTE_TOKENS)) >= 0;
      data[token * embedding] = favoured ? 4f : -4f;
    }
    return data;
  }

  private static List<String> vocabulary() {
    List<String> tokens = new ArrayList<>(VOCAB);
    tokens.add("<unk>");
    tokens.add("<s>");
    tokens.add("</s>");
    for (int b = 0; b < 256; b++) {
      tokens.add(String.format("<0x%02X>", b));
    }
    return tokens;
  }

  /** llama.cpp's token types: 2 unknown, 3 control, 6 byte. */
  private static int[] tokenTypes() {
    int[] types = new int[VOCAB];
    types[0] = 2;
    types[1] = 3;
    types[2] = 3;
    for (int i = BYTE_TOKENS; i < VOCAB; i++) {
      types[i] = 6;
    }
    return types;
  }

  private static float[] ones(int n) {
    float[] data = new float[n];
    java.util.Arrays.fill(data, 1f);
    return data;
  }

  private static float[] gaussian(SplittableRandom random, int n, double scale) {
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) (random.nextGaussian() * scale);
    }
    return data;
  }

  /** The GGUF encoding: little-endian, strings as a u64 length and UTF-8 bytes. */
  private static final class Gguf {
    private static final int UINT32 = 4;
    private static final int INT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int BOOL = 7;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int GGML_F32 = 0;

    private final Bytes metadata = new Bytes();
    private int count;

    void u32(String key, int value) {
      key(key, UINT32);
      metadata.i32(value);
    }

    void f32(String key, float value) {
      key(key, FLOAT32);
      metadata.f32(value);
    }

    void bool(String key, boolean value) {
      key(key, BOOL);
      metadata.u8(value ? 1 : 0);
    }

    void string(String key, String value) {
      key(key, STRING);
      metadata.string(value);
    }

    void strings(String key, List<String> values) {
      key(key, ARRAY);
      metadata.i32(STRING);
      metadata.i64(values.size());
      values.forEach(metadata::string);
    }

    void floats(String key, float[] values) {
      key(key, ARRAY);
      metadata.i32(FLOAT32);
      metadata.i64(values.length);
      for (float v : values) {
        metadata.f32(v);
      }
    }

    void ints(String key, int[] values) {
      key(key, ARRAY);
      metadata.i32(INT32);
      metadata.i64(values.length);
      for (int v : values) {
        metadata.i32(v);
      }
    }

    private void key(String key, int type) {
      metadata.string(key);
      metadata.i32(type);
      count++;
    }

    void writeTo(OutputStream out, Map<String, float[]> tensors, Map<String, long[]> shapes) throws IOException {
      Bytes head = new Bytes();
      head.raw("GGUF".getBytes(StandardCharsets.US_ASCII));
      head.i32(3);
      head.i64(tensors.size());
      head.i64(count);
      head.raw(metadata.toByteArray());
      long offset = 0;
      for (Map.Entry<String, float[]> t : tensors.entrySet()) {
        long[] shape = shapes.get(t.getKey());
        head.string(t.getKey());
        head.i32(shape.length);
        for (long dim : shape) {
          head.i64(dim);
        }
        head.i32(GGML_F32);
        head.i64(offset);
        offset = align(offset + 4L * t.getValue().length);
      }
      byte[] header = head.toByteArray();
      out.write(header);
      out.write(new byte[(int) (align(header.length) - header.length)]);
      for (float[] data : tensors.values()) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(data);
        out.write(buffer.array());
        long written = 4L * data.length;
        out.write(new byte[(int) (align(written) - written)]);
      }
    }

    private static long align(long n) {
      return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
  }

  /** A growing little-endian byte buffer. */
  private static final class Bytes {
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    void u8(int v) {
      room(1).put((byte) v);
    }

    void i32(int v) {
      room(4).putInt(v);
    }

    void i64(long v) {
      room(8).putLong(v);
    }

    void f32(float v) {
      room(4).putFloat(v);
    }

    void string(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      i64(utf8.length);
      raw(utf8);
    }

    void raw(byte[] bytes) {
      room(bytes.length).put(bytes);
    }

    byte[] toByteArray() {
      byte[] out = new byte[buffer.position()];
      buffer.duplicate().flip().get(out);
      return out;
    }

    private ByteBuffer room(int n) {
      if (buffer.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + n))
            .order(ByteOrder.LITTLE_ENDIAN);
        buffer.flip();
        bigger.put(buffer);
        buffer = bigger;
      }
      return buffer;
    }
  }
}
