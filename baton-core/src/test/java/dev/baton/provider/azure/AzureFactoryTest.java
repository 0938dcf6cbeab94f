package dev.baton.provider.azure;

import static dev.baton.provider.azure.Azure.KEY;
import static dev.baton.provider.azure.Azure.call;
import static dev.baton.testkit.AzureFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatRequest;
import dev.baton.ConfigException;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Providers;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import dev.baton.transport.HttpTransport;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where an Azure deployment's key, endpoint and API version come from, and what is said when one is missing. */
class AzureFactoryTest {

  private FakeUpstream upstream;
  private HttpTransport http;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    upstream.always(Reply.json(200, chatCompletion("ok", "stop")));
    http = new HttpTransport();
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  private static ModelConfig.Builder bare() {
    return ModelConfig.builder("azure-gpt", "azure", "gpt-4o-prod");
  }

  @Test
  void isABuiltInProviderNamedAzureWithAnApiVersionAndAResponsesApiSetting() {
    assertThat(Providers.get("azure")).isInstanceOf(AzureFactory.class);
    assertThat(Providers.get("azure").options()).containsExactlyInAnyOrder("api_version", "responses_api");
  }

  @Test
  void withoutAKeyTheConfigErrorNamesTheVariableToSet() {
    assertThatThrownBy(() -> Azure.provider(http, bare().build(), Map.of("AZURE_API_BASE", upstream.url())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AZURE_API_KEY")
        .hasMessageContaining("AZURE_OPENAI_API_KEY")
        .hasMessageContaining("azure-gpt");
  }

  @Test
  void withoutAnEndpointTheConfigErrorNamesTheVariableToSet() {
    assertThatThrownBy(() -> Azure.provider(http, bare().build(), Map.of("AZURE_API_KEY", KEY)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AZURE_API_BASE")
        .hasMessageContaining("AZURE_OPENAI_ENDPOINT")
        .message().doesNotContain(KEY);
  }

  @Test
  void litellmsVariablesAreRead() {
    Azure.provider(http, bare().build(), Map.of("AZURE_API_KEY", KEY, "AZURE_API_BASE", upstream.url(),
        "AZURE_API_VERSION", "2025-01-01-preview")).chat(ChatRequest.of("hi"), call());

    assertThat(upstream.lastRequest().header("api-key")).isEqualTo(KEY);
    assertThat(upstream.lastRequest().query()).isEqualTo("api-version=2025-01-01-preview");
  }

  @Test
  void theAzureSdksVariablesAreReadToo() {
    Azure.provider(http, bare().build(), Map.of("AZURE_OPENAI_API_KEY", "sdk-key-0123456789",
        "AZURE_OPENAI_ENDPOINT", upstream.url(), "OPENAI_API_VERSION", "2024-08-01-preview"))
        .chat(ChatRequest.of("hi"), call());

    assertThat(upstream.lastRequest().header("api-key")).isEqualTo("sdk-key-0123456789");
    assertThat(upstream.lastRequest().query()).isEqualTo("api-version=2024-08-01-preview");
  }

  @Test
  void theConfigsOwnSettingsWinOverTheEnvironment() {
    Azure.provider(http, bare().apiBase(upstream.url()).apiKey("config-key-0123456789").option("api_version",
        "2024-06-01").build(), Map.of("AZURE_API_KEY", KEY, "AZURE_API_BASE", "https://elsewhere.example.com",
        "AZURE_API_VERSION", "2025-01-01-preview")).chat(ChatRequest.of("hi"), call());

    assertThat(upstream.lastRequest().header("api-key")).isEqualTo("config-key-0123456789");
    assertThat(upstream.lastRequest().query()).isEqualTo("api-version=2024-06-01");
  }

  @Test
  void anApiVersionThatCannotBeAQueryValueIsAConfigError() {
    assertThatThrownBy(() -> Azure.provider(http, bare().apiBase(upstream.url()).apiKey(KEY)
        .option("api_version", "2024-10-21&x=1").build()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("api_version");
  }

  @Test
  void apiVersionIsAcceptedInYamlConfiguration() {
    BatonConfig config = ConfigLoader.parse("""
        models:
          - name: smart
            provider: azure
            model: gpt-4o-prod
            api_base: https://my-resource.openai.azure.com
            api_key: ${AZURE_API_KEY}
            api_version: 2024-10-21
        """, "baton.yaml", Environment.of(Map.of("AZURE_API_KEY", KEY)));

    assertThat(config.models().get(0).option("api_version")).isEqualTo("2024-10-21");
  }

  @ParameterizedTest(name = "{0} accepts stream_options: {1}")
  @CsvSource({
      "2023-05-15, false",
      "2024-02-01, false",
      "2024-06-01, false",
      "2024-07-01-preview, false",
      "2024-08-01-preview, true",
      "2024-10-21, true",
      "2025-04-01-preview, true",
      "preview, true",
      "latest, true"
  })
  void onlyApiVersionsThatKnowStreamOptionsAreAskedForStreamUsage(String version, boolean accepts) {
    assertThat(AzureFactory.acceptsStreamOptions(version)).isEqualTo(accepts);
  }
}
