package dev.baton.provider.vertex;

import dev.baton.ConfigException;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Capabilities;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import dev.baton.provider.anthropic.AnthropicFactory;
import dev.baton.provider.anthropic.AnthropicProvider;
import dev.baton.provider.gemini.GeminiProvider;
import dev.baton.provider.openai.OpenAiProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@code provider: vertex} deployments: models on Google Cloud's Vertex AI. The {@code model}
 * names its publisher when it is not Google ({@code anthropic/claude-sonnet-4@20250514}); each publisher
 * is reached the way Vertex AI serves it:
 *
 * <ul>
 *   <li>Google ({@code gemini-2.5-flash}, {@code google/gemini-2.5-flash}): {@code generateContent} and
 *       {@code streamGenerateContent}; embedding models ({@code text-embedding-005},
 *       {@code gemini-embedding-001}) through {@code predict};
 *   <li>Anthropic: the Messages API through {@code rawPredict} and {@code streamRawPredict}, with
 *       {@code anthropic_version: vertex-2023-10-16} in the body;
 *   <li>Mistral AI ({@code mistralai/...}): Mistral's chat API through {@code rawPredict} and
 *       {@code streamRawPredict};
 *   <li>every other publisher (Meta's Llama, DeepSeek, Qwen, OpenAI's open models, ...): Vertex AI's
 *       OpenAI-compatible {@code endpoints/openapi/chat/completions}, the model named in full in the body
 *       ({@code meta/llama-4-maverick-17b-128e-instruct-maas}).
 * </ul>
 *
 * Where each setting comes from, first found wins:
 *
 * <ul>
 *   <li>credentials: the option {@code vertex_credentials} (a service-account key file, or the user
 *       credentials {@code gcloud auth application-default login} writes), else
 *       {@code GOOGLE_APPLICATION_CREDENTIALS}, else gcloud's application-default credentials file. The
 *       file is read at start-up: one that is missing or unreadable is a configuration error naming it;
 *   <li>project: the option {@code vertex_project}, else {@code VERTEXAI_PROJECT}, else
 *       {@code GOOGLE_CLOUD_PROJECT}, else the credentials file's {@code project_id};
 *   <li>location: the option {@code vertex_location}, else {@code VERTEXAI_LOCATION}, else
 *       {@code GOOGLE_CLOUD_LOCATION}, else {@code us-central1}; {@code global} is served by
 *       {@code aiplatform.googleapis.com}, any other location by {@code {location}-aiplatform.googleapis.com};
 *   <li>endpoint: {@code api_base} replaces {@code https://{location}-aiplatform.googleapis.com} (its
 *       {@code /v1} is added unless the base has a path of its own).
 * </ul>
 */
public final class VertexFactory implements ProviderFactory {

  public static final String NAME = "vertex";
  static final String PROJECT = "vertex_project";
  static final String LOCATION = "vertex_location";
  static final String CREDENTIALS = "vertex_credentials";
  static final String CREDENTIALS_VARIABLE = "GOOGLE_APPLICATION_CREDENTIALS";
  static final String DEFAULT_LOCATION = "us-central1";
  /** The version Anthropic's models on Vertex AI expect in the body. */
  static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

  private static final Set<String> OPTIONS = Set.of(PROJECT, LOCATION, CREDENTIALS, AnthropicFactory.MAX_TOKENS);
  private static final Pattern LOCATION_NAME = Pattern.compile("[a-z][a-z0-9-]*[a-z0-9]");
  /** Project ids, including the domain-scoped {@code example.com:project} form. */
  private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9.:-]+");
  private static final Pattern MODEL = Pattern.compile("(?:[a-z0-9][a-z0-9_.-]*/)?[A-Za-z0-9][A-Za-z0-9_.@:-]*");

  private final Clock clock;

  public VertexFactory() {
    this(Clock.systemUTC());
  }

  /** A factory whose tokens expire by this clock, so tests can move time. */
  VertexFactory(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> options() {
    return OPTIONS;
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    Environment env = context.environment();
    String origin = config.origin();
    if (!MODEL.matcher(config.model()).matches()) {
      throw new ConfigException(origin + ": '" + config.model() + "' is not a Vertex AI model id; write it as"
          + " gemini-2.5-flash, or with its publisher: anthropic/claude-sonnet-4@20250514,"
          + " meta/llama-3.3-70b-instruct-maas");
    }
    GoogleCredentials credentials = credentials(config, env);
    String project = first(config.option(PROJECT), env.get("VERTEXAI_PROJECT"), env.get("GOOGLE_CLOUD_PROJECT"),
        credentials.projectId());
    if (project == null) {
      throw new ConfigException(origin + ": provider vertex needs a Google Cloud project: set the model's "
          + PROJECT + " or the environment variable VERTEXAI_PROJECT (the credentials file "
          + credentials.file() + " names none)");
    }
    if (!PROJECT_NAME.matcher(project).matches()) {
      throw new ConfigException(origin + ": '" + project + "' is not a Google Cloud project id");
    }
    String location = first(config.option(LOCATION), env.get("VERTEXAI_LOCATION"), env.get("GOOGLE_CLOUD_LOCATION"),
        DEFAULT_LOCATION);
    if (!LOCATION_NAME.matcher(location).matches()) {
      throw new ConfigException(origin + ": '" + location + "' is not a Vertex AI location (such as us-central1,"
          + " europe-west4 or global)");
    }
    String host = location.equals("global")
        ? "https://aiplatform.googleapis.com"
        : "https://" + location + "-aiplatform.googleapis.com";
    URI base = context.base(config, null, host);
    String version = base.getPath() == null || base.getPath().isEmpty() || base.getPath().equals("/") ? "/v1" : "";
    URI root = URI.create(base.toString().replaceAll("/+$", "") + version + "/projects/" + project
        + "/locations/" + location);

    AccessTokens tokens = new AccessTokens(credentials, context.http(), clock, config.name());
    String model = config.model();
    int slash = model.indexOf('/');
    String publisher = slash < 0 ? "google" : model.substring(0, slash);
    String id = slash < 0 ? model : model.substring(slash + 1);
    boolean prefill = Boolean.TRUE.equals(config.assistantPrefill());
    return switch (publisher) {
      case "google" -> VertexProvider.google(
          new GeminiProvider(new VertexEndpoints.Gemini(root, id, tokens), id, context.http(),
              new Capabilities(prefill, VertexProvider.isEmbeddingModel(id))),
          new VertexEndpoints.Predict(root, id, tokens), id, context.http());
      case "anthropic" -> new VertexProvider(new AnthropicProvider(new VertexEndpoints.Claude(root, tokens), id,
          AnthropicFactory.maxTokens(config), context.http(),
          new Capabilities(config.assistantPrefill() == null || config.assistantPrefill(), false)));
      case "mistralai" -> new VertexProvider(new OpenAiProvider(VertexEndpoints.OpenAiShaped.mistral(root, id, tokens),
          id, context.http(), false, new Capabilities(prefill, false)));
      default -> new VertexProvider(new OpenAiProvider(VertexEndpoints.OpenAiShaped.openApi(root, tokens), model,
          context.http(), false, new Capabilities(prefill, false)));
    };
  }

  private static GoogleCredentials credentials(ModelConfig config, Environment env) {
    String option = blankToNull(config.option(CREDENTIALS));
    if (option != null) {
      return GoogleCredentials.read(Path.of(option), config.origin(), CREDENTIALS);
    }
    String variable = blankToNull(env.get(CREDENTIALS_VARIABLE));
    if (variable != null) {
      return GoogleCredentials.read(Path.of(variable), config.origin(), CREDENTIALS_VARIABLE);
    }
    Path gcloud = applicationDefault(env);
    if (gcloud != null && Files.isRegularFile(gcloud)) {
      return GoogleCredentials.read(gcloud, config.origin(), "gcloud's application-default credentials");
    }
    throw new ConfigException(config.origin() + ": provider vertex needs Google Cloud credentials: set the model's "
        + CREDENTIALS + " or the environment variable " + CREDENTIALS_VARIABLE + " to a service-account key file,"
        + " or run gcloud auth application-default login");
  }

  /** Where {@code gcloud auth application-default login} writes its credentials. */
  private static @Nullable Path applicationDefault(Environment env) {
    String configDir = blankToNull(env.get("CLOUDSDK_CONFIG"));
    if (configDir != null) {
      return Path.of(configDir, "application_default_credentials.json");
    }
    String home = blankToNull(env.get("HOME"));
    return home == null ? null : Path.of(home, ".config", "gcloud", "application_default_credentials.json");
  }

  private static @Nullable String first(@Nullable String... values) {
    for (String value : values) {
      String v = blankToNull(value);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
