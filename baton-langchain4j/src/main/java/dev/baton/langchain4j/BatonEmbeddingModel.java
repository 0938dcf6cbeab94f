package dev.baton.langchain4j;

import dev.baton.BatonException;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A LangChain4j {@link EmbeddingModel} over Baton: the vectors come from the first embedding model
 * that can make them. Fallbacks between embedding models only make sense between models with the same
 * vectors (one model behind several deployments or providers); Baton does not mix vector spaces for you.
 *
 * <pre>{@code
 * EmbeddingModel embeddings = BatonEmbeddingModel.builder()
 *     .models("openai/text-embedding-3-small", "azure/text-embedding-3-small")
 *     .build();
 * }</pre>
 */
public final class BatonEmbeddingModel extends BatonAdapter implements EmbeddingModel {

  private final Integer dimensions;
  private volatile int knownDimension;

  private BatonEmbeddingModel(Builder b) {
    super(b);
    this.dimensions = b.dimensions;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
    if (segments == null || segments.isEmpty()) {
      return Response.from(List.of());
    }
    List<String> texts = segments.stream().map(TextSegment::text).toList();
    EmbeddingResponse r;
    try {
      r = baton.embed(new EmbeddingRequest(modelName, texts, dimensions, null, null, Map.of(), null));
    } catch (BatonException e) {
      throw Errors.toLangChain4j(e);
    }
    List<Embedding> embeddings = new ArrayList<>(r.vectors().size());
    for (float[] vector : r.vectors()) {
      embeddings.add(Embedding.from(vector));
    }
    if (!embeddings.isEmpty()) {
      knownDimension = embeddings.get(0).dimension();
    }
    return Response.from(embeddings, Responses.tokenUsage(r.usage()), null,
        Map.of("model", r.model(), "attempts", r.attempts()));
  }

  /** The vectors' size: the one asked for, else learnt from the first answer (asking once if need be). */
  @Override
  public int dimension() {
    if (dimensions != null) {
      return dimensions;
    }
    if (knownDimension == 0) {
      embed("dimension");
    }
    return knownDimension;
  }

  /** The public model name asked for: the one set, else the Baton's first model. */
  @Override
  public String modelName() {
    return modelName != null ? modelName : baton.models().get(0);
  }


  /** Builds a {@link BatonEmbeddingModel}. */
  public static final class Builder extends BatonBuilder<Builder> {

    private Integer dimensions;

    private Builder() {}

    /** The vector size to ask for, for models that can shorten their vectors. */
    public Builder dimensions(int dimensions) {
      if (dimensions < 1) {
        throw new IllegalArgumentException("dimensions must be >= 1, was " + dimensions);
      }
      this.dimensions = dimensions;
      return this;
    }

    public BatonEmbeddingModel build() {
      return new BatonEmbeddingModel(this);
    }
  }
}
