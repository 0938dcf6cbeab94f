package dev.baton.local.onnx;

import dev.baton.BadRequestException;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.NotFoundException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.Usage;
import dev.baton.local.InferencePool;
import dev.baton.provider.Call;
import dev.baton.provider.Capabilities;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Embeddings from a sentence-transformers model in this process. A request's texts are tokenized, sorted
 * by length and cut into batches (so little of each batch is padding) of at most {@code batch_size}, one
 * per thread of the deployment's {@link InferencePool} when there are enough texts, and the batches run
 * there, several at once when threads are free. {@code dimensions} shortens
 * the vectors as OpenAI's and Ollama's do: the first {@code dimensions} values, scaled back to unit
 * length when the model's vectors are unit length.
 */
final class OnnxProvider implements Provider {

  private final String model;
  private final SentenceEncoder encoder;
  private final InferencePool pool;
  private final int batchSize;

  OnnxProvider(String model, SentenceEncoder encoder, int concurrency, int batchSize) {
    this.model = model;
    this.encoder = encoder;
    this.pool = new InferencePool("baton-onnx", concurrency);
    this.batchSize = batchSize;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(false, true);
  }

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, Call call) {
    int width = width(request, call);
    List<String> inputs = request.inputs();
    List<SentenceEncoder.Tokens> tokens = new ArrayList<>(inputs.size());
    int promptTokens = 0;
    for (String input : inputs) {
      SentenceEncoder.Tokens t = encoder.tokenize(input);
      tokens.add(t);
      promptTokens += t.length();
    }
    Integer[] order = new Integer[inputs.size()];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> tokens.get(i).length()));
    // A request's texts are spread over the pool's threads, so one request uses the whole pool when it is idle.
    int perRun = Math.max(1, Math.min(batchSize, (order.length + pool.size() - 1) / pool.size()));
    List<Future<float[][]>> runs = new ArrayList<>();
    for (int from = 0; from < order.length; from += perRun) {
      List<SentenceEncoder.Tokens> batch = new ArrayList<>(perRun);
      for (int i = from; i < Math.min(order.length, from + perRun); i++) {
        batch.add(tokens.get(order[i]));
      }
      runs.add(pool.submit(() -> encoder.embed(batch)));
    }
    float[][] vectors = new float[inputs.size()][];
    try {
      for (int run = 0; run < runs.size(); run++) {
        float[][] batch = InferencePool.await(runs.get(run), call, call.responseDeadline(), Phase.RESPONSE);
        for (int j = 0; j < batch.length; j++) {
          vectors[order[run * perRun + j]] = shorten(batch[j], width);
        }
      }
    } finally {
      runs.forEach(f -> f.cancel(false));
    }
    return new EmbeddingResponse(model, Arrays.asList(vectors), Usage.of(promptTokens, 0), null);
  }

  private int width(EmbeddingRequest request, Call call) {
    Integer dimensions = request.dimensions();
    if (dimensions == null) {
      return encoder.width();
    }
    if (dimensions < 1 || dimensions > encoder.width()) {
      throw new BadRequestException(call.source(400, "invalid_value", null), "dimensions must be between 1 and "
          + encoder.width() + " for " + model + ", was " + dimensions);
    }
    return dimensions;
  }

  private float[] shorten(float[] vector, int width) {
    if (width == vector.length) {
      return vector;
    }
    float[] shorter = Arrays.copyOf(vector, width);
    if (encoder.config().normalize()) {
      SentenceEncoder.normalize(shorter);
    }
    return shorter;
  }

  @Override
  public ChatResponse chat(ChatRequest request, Call call) {
    throw notForChat(call);
  }

  @Override
  public ChunkSource streamChat(ChatRequest request, Call call) {
    throw notForChat(call);
  }

  private NotFoundException notForChat(Call call) {
    return new NotFoundException(call.source(), model + " is an onnx embedding model: it makes embeddings, not"
        + " chat or text answers");
  }

  /** The deployment's inference threads, for tests and metrics. */
  InferencePool pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
    encoder.close();
  }
}
