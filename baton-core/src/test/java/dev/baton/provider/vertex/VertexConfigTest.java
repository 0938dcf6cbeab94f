package dev.baton.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.ChatRequest;
import dev.baton.ConfigException;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Vertex AI deployment's settings: where each comes from, and each mistake named at start-up. */
class VertexConfigTest {

  private static ConfigException configError(Harness h, ModelConfig config, Map<String, String> env) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> h.create(config, env));
    assertThat(e).as("a configuration error for %s", config).isNotNull();
    return e;
  }

  @Test
  void aMissingCredentialsFileIsAConfigErrorNamingIt() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      Path missing = h.dir.resolve("nowhere.json");

      ConfigException e = configError(h, h.deployment("gemini-2.5-flash")
          .option(VertexFactory.CREDENTIALS, missing.toString()).build(), Map.of());

      assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist").contains("vertex_credentials");
    }
  }

  @Test
  void anUnreadableCredentialsFileIsAConfigErrorNamingIt() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      Path folder = Files.createDirectory(h.dir.resolve("a-folder.json"));

      ConfigException e = configError(h, h.deployment("gemini-2.5-flash")
          .option(VertexFactory.CREDENTIALS, folder.toString()).build(), Map.of());

      assertThat(e.getMessage()).contains(folder.toString()).contains("cannot be read");
    }
  }

  @Test
  void aFileThatIsNotACredentialsFileSaysWhatIsWrong() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      Path notJson = Files.writeString(h.dir.resolve("key.json"), "not json at all");
      Path external = Files.writeString(h.dir.resolve("wif.json"), "{\"type\":\"external_account\"}");
      Path noKey = Files.writeString(h.dir.resolve("nokey.json"),
          "{\"type\":\"service_account\",\"client_email\":\"a@b.iam.gserviceaccount.com\"}");
      Path badKey = Files.writeString(h.dir.resolve("badkey.json"), "{\"type\":\"service_account\","
          + "\"client_email\":\"a@b.iam.gserviceaccount.com\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n"
          + "c2VjcmV0LWJ5dGVzLW5vdC1hLWtleQ==\\n-----END PRIVATE KEY-----\\n\"}");

      assertThat(configError(h, with(h, notJson), Map.of()).getMessage()).contains("is not JSON");
      assertThat(configError(h, with(h, external), Map.of()).getMessage()).contains("external_account")
          .contains("service_account");
      assertThat(configError(h, with(h, noKey), Map.of()).getMessage()).contains("has no private_key");
      assertThat(configError(h, with(h, badKey), Map.of()).getMessage())
          .contains("not a PKCS#8 RSA key").doesNotContain("c2VjcmV0");
    }
  }

  @Test
  void withoutAnyCredentialsTheErrorSaysWhatToSet() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      ConfigException e = configError(h, ModelConfig.builder("v", "vertex", "gemini-2.5-flash").build(), Map.of());

      assertThat(e.getMessage()).contains("GOOGLE_APPLICATION_CREDENTIALS").contains("vertex_credentials");
    }
  }

  @Test
  void credentialsProjectAndLocationComeFromTheEnvironment() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hi")));
      var provider = h.create(ModelConfig.builder("v", "vertex", "gemini-2.5-flash").apiBase(h.vertex.url()).build(),
          Map.of("GOOGLE_APPLICATION_CREDENTIALS", h.credentials.toString(), "VERTEXAI_PROJECT", "other-project",
              "GOOGLE_CLOUD_LOCATION", "europe-west4"));

      provider.chat(ChatRequest.of("Hello"), Harness.call());

      assertThat(h.last().path()).startsWith("/v1/projects/other-project/locations/europe-west4/publishers/google/");
    }
  }

  @Test
  void theProjectDefaultsToTheServiceAccountsAndTheLocationToUsCentral1() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      h.answer(Reply.json(200, GeminiFixtures.answer("Hi")));
      var provider = h.create(ModelConfig.builder("v", "vertex", "gemini-2.5-flash").apiBase(h.vertex.url())
          .option(VertexFactory.CREDENTIALS, h.credentials.toString()).build());

      provider.chat(ChatRequest.of("Hello"), Harness.call());

      assertThat(h.last().path()).startsWith("/v1/projects/" + FakeGoogleAuth.PROJECT + "/locations/us-central1/");
    }
  }

  @Test
  void gcloudsApplicationDefaultCredentialsAreTheLastResort() throws IOException {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      Path gcloud = Files.createDirectories(h.dir.resolve("home/.config/gcloud"));
      h.auth.writeAuthorizedUser(gcloud);
      h.answer(Reply.json(200, GeminiFixtures.answer("Hi")));
      var provider = h.create(ModelConfig.builder("v", "vertex", "gemini-2.5-flash").apiBase(h.vertex.url()).build(),
          Map.of("HOME", h.dir.resolve("home").toString()));

      String text = provider.chat(ChatRequest.of("Hello"), Harness.call()).text();

      assertThat(text).isEqualTo("Hi");
    }
  }

  @Test
  void badProjectsLocationsAndModelsAreNamed() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      assertThat(configError(h, h.deployment("gemini-2.5-flash").option(VertexFactory.PROJECT, "my project").build(),
          Map.of()).getMessage()).contains("'my project' is not a Google Cloud project id");
      assertThat(configError(h, h.deployment("gemini-2.5-flash").option(VertexFactory.LOCATION, "US Central").build(),
          Map.of()).getMessage()).contains("'US Central' is not a Vertex AI location");
      assertThat(configError(h, h.deployment("anthropic/claude sonnet").build(), Map.of()).getMessage())
          .contains("is not a Vertex AI model id").contains("anthropic/claude-sonnet-4@20250514");
      assertThat(configError(h, h.deployment("anthropic/" + "claude-sonnet-4@20250514").option("max_tokens", "lots")
          .build(), Map.of()).getMessage()).contains("max_tokens must be a whole number");
    }
  }

  @Test
  void theYamlOptionsAreKnownToTheConfigLoader() {
    var config = ConfigLoader.parse("""
        models:
          - name: claude
            provider: vertex
            model: anthropic/claude-sonnet-4@20250514
            vertex_project: my-project
            vertex_location: us-east5
            vertex_credentials: /etc/baton/sa.json
        """, "baton.yaml", Environment.of(Map.of()));

    ModelConfig m = config.models().get(0);

    assertThat(m.option("vertex_project")).isEqualTo("my-project");
    assertThat(m.option("vertex_location")).isEqualTo("us-east5");
    assertThat(m.option("vertex_credentials")).isEqualTo("/etc/baton/sa.json");
    assertThat(m.toString()).as("a credentials path is masked like other credential options")
        .doesNotContain("/etc/baton/sa.json");
  }

  private static ModelConfig with(Harness h, Path credentials) {
    return h.deployment("gemini-2.5-flash").option(VertexFactory.CREDENTIALS, credentials.toString()).build();
  }
}
