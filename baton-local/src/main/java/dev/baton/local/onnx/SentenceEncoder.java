package dev.baton.local.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sentence-transformers model on ONNX Runtime: tokenizes texts, runs the transformer over a padded
 * batch, pools each text's token embeddings and scales the result to unit length when the model does.
 * Thread-safe: ONNX Runtime sessions and the Rust tokenizer may be used by several threads at once.
 */
final class SentenceEncoder implements AutoCloseable {

  /** The outputs an export may name its token embeddings, and its pooled embedding. */
  private static final List<String> TOKEN_OUTPUTS = List.of("last_hidden_state", "token_embeddings");
  private static final String POOLED_OUTPUT = "sentence_embedding";

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final SentenceConfig config;
  private final boolean takesTypeIds;
  private final boolean int32Inputs;
  private final String output;
  private final boolean pooledOutput;
  private final int width;

  private SentenceEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
      SentenceConfig config) throws OrtException {
    this.environment = environment;
    this.session = session;
    this.tokenizer = tokenizer;
    this.config = config;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    for (String required : List.of("input_ids", "attention_mask")) {
      if (!inputs.containsKey(required)) {
        throw new IllegalArgumentException("the model has no input '" + required + "' (its inputs: "
            + String.join(", ", inputs.keySet()) + "); is it a transformer encoder export?");
      }
    }
    this.takesTypeIds = inputs.containsKey("token_type_ids");
    this.int32Inputs = inputs.get("input_ids").getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.INT32;
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String chosen = TOKEN_OUTPUTS.stream().filter(outputs::containsKey).findFirst()
        .orElse(outputs.containsKey(POOLED_OUTPUT) ? POOLED_OUTPUT : outputs.keySet().iterator().next());
    this.output = chosen;
    TensorInfo info = (TensorInfo) outputs.get(chosen).getInfo();
    long[] shape = info.getShape();
    this.pooledOutput = shape.length == 2;
    if (shape.length != 2 && shape.length != 3) {
      throw new IllegalArgumentException("the model's output '" + chosen + "' has " + shape.length
          + " dimensions; token embeddings have 3, pooled embeddings 2");
    }
    this.width = (int) shape[shape.length - 1];
    if (width <= 0) {
      throw new IllegalArgumentException("the model's output '" + chosen + "' has no fixed width");
    }
  }

  /** Opens a model from its ONNX bytes and its {@code tokenizer.json}. */
  static SentenceEncoder open(byte[] onnx, InputStream tokenizerJson, SentenceConfig config, int threads)
      throws OrtException, IOException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options(config));
    OrtEnvironment environment = environment();
    return withTokenizer(environment, () -> environment.createSession(onnx, options(threads)), tokenizer, config);
  }

  /** Opens a model from its files. */
  static SentenceEncoder open(Path onnx, Path tokenizerJson, SentenceConfig config, int threads)
      throws OrtException, IOException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options(config));
    OrtEnvironment environment = environment();
    return withTokenizer(environment, () -> environment.createSession(onnx.toString(), options(threads)),
        tokenizer, config);
  }

  @FunctionalInterface
  private interface SessionOpener {
    OrtSession open() throws OrtException;
  }

  private static SentenceEncoder withTokenizer(
      OrtEnvironment environment, SessionOpener opener, HuggingFaceTokenizer tokenizer, SentenceConfig config)
      throws OrtException {
    OrtSession session = null;
    try {
      session = opener.open();
      return new SentenceEncoder(environment, session, tokenizer, config);
    } catch (OrtException | RuntimeException e) {
      tokenizer.close();
      if (session != null) {
        session.close();
      }
      throw e;
    }
  }

  private static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "baton");
  }

  private static Map<String, String> options(SentenceConfig config) {
    // Padding is done per batch here; the cut at maxTokens counts the special tokens, as in sentence-transformers.
    return Map.of("truncation", "true", "padding", "false", "maxLength", Integer.toString(config.maxTokens()),
        "addSpecialTokens", "true");
  }

  private static OrtSession.SessionOptions options(int threads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    // Idle ONNX Runtime threads spin for a while by default, taking CPU the gateway's requests need.
    options.addConfigEntry("session.intra_op.allow_spinning", "0");
    options.addConfigEntry("session.inter_op.allow_spinning", "0");
    return options;
  }

  /** One text as the model reads it. */
  record Tokens(long[] ids, long[] typeIds) {
    int length() {
      return ids.length;
    }
  }

  /** Tokenizes a text, cut at the model's limit. */
  Tokens tokenize(String text) {
    Encoding encoding = tokenizer.encode(text);
    return new Tokens(encoding.getIds(), encoding.getTypeIds());
  }

  /** The width of the model's vectors. */
  int width() {
    return width;
  }

  SentenceConfig config() {
    return config;
  }

  /** The embeddings of a batch of tokenized texts, in order, in one run of the model. */
  float[][] embed(List<Tokens> batch) throws OrtException {
    int rows = batch.size();
    int tokens = batch.stream().mapToInt(Tokens::length).max().orElse(0);
    long[] ids = new long[rows * tokens];
    long[] mask = new long[rows * tokens];
    long[] types = new long[rows * tokens];
    for (int r = 0; r < rows; r++) {
      Tokens t = batch.get(r);
      System.arraycopy(t.ids(), 0, ids, r * tokens, t.length());
      System.arraycopy(t.typeIds(), 0, types, r * tokens, t.length());
      java.util.Arrays.fill(mask, r * tokens, r * tokens + t.length(), 1L);
    }
    long[] shape = {rows, tokens};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", tensor(ids, shape));
      inputs.put("attention_mask", tensor(mask, shape));
      if (takesTypeIds) {
        inputs.put("token_type_ids", tensor(types, shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
        OnnxValue value = result.get(0);
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] hidden = buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
            ? buffer.array()
            : copy(buffer);
        float[][] vectors = new float[rows][width];
        for (int r = 0; r < rows; r++) {
          if (pooledOutput) {
            System.arraycopy(hidden, r * width, vectors[r], 0, width);
          } else {
            config.pooling().pool(hidden, r, tokens, batch.get(r).length(), vectors[r]);
          }
          if (config.normalize()) {
            normalize(vectors[r]);
          }
        }
        return vectors;
      }
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }

  private OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
    if (int32Inputs) {
      int[] narrow = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        narrow[i] = (int) values[i];
      }
      return OnnxTensor.createTensor(environment, IntBuffer.wrap(narrow), shape);
    }
    return OnnxTensor.createTensor(environment, LongBuffer.wrap(values), shape);
  }

  /** Scales a vector to unit length, as {@code torch.nn.functional.normalize} does (norm at least 1e-12). */
  static void normalize(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    float norm = (float) Math.max(Math.sqrt(sum), 1e-12);
    for (int i = 0; i < vector.length; i++) {
      vector[i] /= norm;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // Closing releases native memory; there is nothing left to do if it fails.
    } finally {
      tokenizer.close();
    }
  }
}
