package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.EmbeddingResponse;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.AbstractEmbeddingModel;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.DefaultEmbeddingModelObservationConvention;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationDocumentation;

/**
 * A Spring AI embedding model over Baton: the vectors come from the first embedding model that can make
 * them (fall back only between deployments of one model: vectors of different models do not compare).
 * The response metadata's {@code model} is the model that answered, with the attempts under
 * {@code baton.attempts}.
 */
public class BatonEmbeddingModel extends AbstractEmbeddingModel {

  private final Baton baton;
  private final String model;
  private final ObservationRegistry observations;

  /** @param model the public model name to ask for */
  public BatonEmbeddingModel(Baton baton, String model, ObservationRegistry observations) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.model = Objects.requireNonNull(model, "model");
    this.observations = Objects.requireNonNull(observations, "observations");
  }

  @Override
  public org.springframework.ai.embedding.EmbeddingResponse call(EmbeddingRequest request) {
    EmbeddingOptions options = request.getOptions();
    String asked = options != null && options.getModel() != null ? options.getModel() : model;
    Integer dimensions = options == null ? null : options.getDimensions();
    EmbeddingOptions.Builder sentOptions = EmbeddingOptions.builder().model(asked);
    if (dimensions != null) {
      sentOptions.dimensions(dimensions);
    }
    EmbeddingRequest sent = new EmbeddingRequest(request.getInstructions(), sentOptions.build());
    EmbeddingModelObservationContext context = EmbeddingModelObservationContext.builder()
        .embeddingRequest(sent).provider("baton").build();
    return Objects.requireNonNull(EmbeddingModelObservationDocumentation.EMBEDDING_MODEL_OPERATION
        .observation(null, new DefaultEmbeddingModelObservationConvention(), () -> context, observations)
        .observe(() -> {
          EmbeddingResponse r = baton.embed(new dev.baton.EmbeddingRequest(asked, request.getInstructions(),
              dimensions, null, null, Map.of(), null));
          List<Embedding> embeddings = new ArrayList<>(r.vectors().size());
          for (int i = 0; i < r.vectors().size(); i++) {
            embeddings.add(new Embedding(r.vectors().get(i), i));
          }
          var response = new org.springframework.ai.embedding.EmbeddingResponse(embeddings,
              new EmbeddingResponseMetadata(r.model(), new DefaultUsage(r.usage().promptTokens(), 0,
                  r.usage().totalTokens(), r.usage()),
                  Map.of(SpringAiMessages.ATTEMPTS, r.attempts(), SpringAiMessages.UPSTREAM_MODEL, r.upstreamModel())));
          context.setResponse(response);
          return response;
        }));
  }

  @Override
  public float[] embed(Document document) {
    String text = document.getText();
    return embed(text == null ? "" : text);
  }

  /** The public model name this model asks for. */
  public String model() {
    return model;
  }
}
