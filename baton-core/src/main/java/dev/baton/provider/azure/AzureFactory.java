package dev.baton.provider.azure;

import dev.baton.ConfigException;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.config.Secret;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import dev.baton.provider.openai.OpenAiFactory;
import dev.baton.provider.openai.OpenAiProvider;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@code provider: azure} deployments: Azure OpenAI, which speaks OpenAI's API under its own
 * URL layout and key header ({@link AzureEndpoint}), so everything else is {@link OpenAiProvider}.
 * A deployment's {@code model} is the Azure <em>deployment name</em>.
 *
 * <ul>
 *   <li>key: {@code api_key}, else {@code AZURE_API_KEY} (LiteLLM's name), else
 *       {@code AZURE_OPENAI_API_KEY} (the Azure SDKs' name);
 *   <li>endpoint: {@code api_base}, else {@code AZURE_API_BASE}, else {@code AZURE_OPENAI_ENDPOINT}, such
 *       as {@code https://my-resource.openai.azure.com};
 *   <li>{@code api_version}: the option, else {@code AZURE_API_VERSION}, else {@code OPENAI_API_VERSION}
 *       (the Azure SDKs' name), else {@value #DEFAULT_API_VERSION}, the current GA version.
 * </ul>
 */
public final class AzureFactory implements ProviderFactory {

  static final String DEFAULT_API_VERSION = "2024-10-21";
  static final String KEY_VARIABLE = "AZURE_API_KEY";
  static final String SDK_KEY_VARIABLE = "AZURE_OPENAI_API_KEY";
  static final String BASE_VARIABLE = "AZURE_API_BASE";
  static final String SDK_BASE_VARIABLE = "AZURE_OPENAI_ENDPOINT";
  static final String VERSION_VARIABLE = "AZURE_API_VERSION";
  static final String SDK_VERSION_VARIABLE = "OPENAI_API_VERSION";
  /** The first api-version that accepts {@code stream_options} (2024-08-01-preview; GA from 2024-10-21). */
  private static final LocalDate STREAM_OPTIONS_SINCE = LocalDate.of(2024, 8, 1);
  private static final Set<String> OPTIONS = Set.of("api_version", OpenAiFactory.RESPONSES_API);

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public Set<String> options() {
    return OPTIONS;
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    Environment env = context.environment();
    String baseVariable = isSet(config.apiBase()) ? null
        : isSet(env.get(BASE_VARIABLE)) ? BASE_VARIABLE
        : isSet(env.get(SDK_BASE_VARIABLE)) ? SDK_BASE_VARIABLE
        : null;
    if (!isSet(config.apiBase()) && baseVariable == null) {
      throw new ConfigException(config.origin() + ": provider azure needs an endpoint: set the environment variable "
          + BASE_VARIABLE + " (or " + SDK_BASE_VARIABLE + ") or the model's api_base, such as"
          + " https://my-resource.openai.azure.com");
    }
    URI base = context.base(config, baseVariable, null);

    Secret key = context.optionalKey(config, KEY_VARIABLE);
    if (key == null) {
      key = context.optionalKey(config, SDK_KEY_VARIABLE);
    }
    if (key == null) {
      throw new ConfigException(config.origin() + ": provider azure needs an API key: set the environment variable "
          + KEY_VARIABLE + " (or " + SDK_KEY_VARIABLE + ") or the model's api_key");
    }

    String version = apiVersion(config, env);
    return new OpenAiProvider(new AzureEndpoint(base, config.model(), version, key), config.model(), context.http(),
        acceptsStreamOptions(version), OpenAiFactory.prefill(config), java.util.List.of(),
        OpenAiFactory.nativeResponses(config));
  }

  private static String apiVersion(ModelConfig config, Environment env) {
    String version = config.option("api_version");
    if (!isSet(version)) {
      version = env.get(VERSION_VARIABLE);
    }
    if (!isSet(version)) {
      version = env.get(SDK_VERSION_VARIABLE);
    }
    if (!isSet(version)) {
      return DEFAULT_API_VERSION;
    }
    String v = version.strip();
    if (!v.matches("[A-Za-z0-9._-]+")) {
      throw new ConfigException(config.origin() + ": api_version '" + v + "' is not an Azure OpenAI API version"
          + " such as " + DEFAULT_API_VERSION);
    }
    return v;
  }

  /**
   * Whether this api-version takes {@code stream_options.include_usage}, so every stream can report its
   * usage. Versions before 2024-08-01 answer 400 "Unknown parameter: 'stream_options'"; names that are
   * not dates ({@code preview}, {@code latest}) are the newest versions.
   */
  static boolean acceptsStreamOptions(String apiVersion) {
    if (apiVersion.length() < 10) {
      return !Character.isDigit(apiVersion.charAt(0));
    }
    try {
      return !LocalDate.parse(apiVersion.substring(0, 10)).isBefore(STREAM_OPTIONS_SINCE);
    } catch (DateTimeParseException e) {
      return !Character.isDigit(apiVersion.charAt(0));
    }
  }

  private static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
