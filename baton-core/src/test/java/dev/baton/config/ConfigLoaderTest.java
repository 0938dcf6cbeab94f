package dev.baton.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  private static final Environment NO_VARIABLES = Environment.of(Map.of());

  /** A valid model list, for tests about other sections. */
  private static final String ONE_MODEL = """
      models:
        - name: a
          provider: mock
          model: m
      """;

  @Nested
  class ContractExample {

    private static final Environment ENV = Environment.of(Map.of(
        "BATON_MASTER_KEY", "master-secret-123",
        "OPENAI_API_KEY", "sk-openai-test-key",
        "GROQ_API_KEY", "gsk_groqtestkey1234"));

    @Test
    void serverSectionIsMapped() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      ServerConfig server = config.server();
      assertThat(server.host()).isEqualTo("127.0.0.1");
      assertThat(server.port()).isEqualTo(4000);
      assertThat(server.masterKey()).isNotNull();
      assertThat(server.masterKey().reveal()).isEqualTo("master-secret-123");
      assertThat(server.maxBody()).isEqualTo(10L * 1024 * 1024);
    }

    @Test
    void everyModelFieldIsMapped() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      ModelConfig smart = config.models().get(0);
      assertThat(smart.name()).isEqualTo("smart");
      assertThat(smart.provider()).isEqualTo("openai");
      assertThat(smart.model()).isEqualTo("gpt-4o");
      assertThat(smart.apiBase()).isEqualTo("https://api.openai.com/v1");
      assertThat(smart.apiKey()).isNotNull();
      assertThat(smart.apiKey().reveal()).isEqualTo("sk-openai-test-key");
      assertThat(smart.timeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(smart.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(20));
      assertThat(smart.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(smart.retries()).isEqualTo(2);
      assertThat(smart.weight()).isEqualTo(1);
      assertThat(smart.rpm()).isEqualTo(500);
      assertThat(smart.tpm()).isEqualTo(200_000);
      assertThat(smart.maxInputTokens()).isEqualTo(128_000);
      assertThat(smart.inputCostPerMtok()).isEqualTo(2.50);
      assertThat(smart.outputCostPerMtok()).isEqualTo(10.00);
      assertThat(smart.assistantPrefill()).isNull();
      assertThat(smart.options()).isEmpty();
      assertThat(smart.origin()).as("where it was defined, for messages")
          .isEqualTo("contract-example.yaml:8: models[0] 'smart'");
    }

    @Test
    void unsetModelFieldsAreNullOrDefault() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      ModelConfig local = config.models().get(2);
      assertThat(local.name()).isEqualTo("local");
      assertThat(local.apiBase()).as("${LOCAL_BASE:-...} with LOCAL_BASE unset").isEqualTo("http://localhost:11434/v1");
      assertThat(local.apiKey()).isNull();
      assertThat(local.timeout()).isNull();
      assertThat(local.retries()).isNull();
      assertThat(local.weight()).isEqualTo(1);
      assertThat(local.rpm()).isNull();
      assertThat(local.maxInputTokens()).isNull();
      assertThat(local.inputCostPerMtok()).isNull();
    }

    @Test
    void otherModelsAreMappedInOrder() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      assertThat(config.modelNames()).containsExactly("smart", "fast", "local", "smart-long", "lenient");
      assertThat(config.models().get(1).timeout()).isEqualTo(Duration.ofMillis(250));
      assertThat(config.models().get(1).apiKey().reveal()).isEqualTo("gsk_groqtestkey1234");
      assertThat(config.models().get(3).weight()).isEqualTo(3);
      assertThat(config.models().get(4).options()).containsExactly(Map.entry("mock_response", "I will answer that."));
    }

    @Test
    void routerSectionIsMapped() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      RouterConfig router = config.router();
      assertThat(router.retries()).isEqualTo(2);
      assertThat(router.timeout()).isEqualTo(Duration.ofSeconds(120));
      assertThat(router.strategy()).isEqualTo("weighted");
      assertThat(router.fallbacks()).containsExactly(Map.entry("smart", List.of("fast", "local")));
      assertThat(router.defaultFallbacks()).containsExactly("fast");
      assertThat(router.contextWindowFallbacks()).containsExactly(Map.entry("fast", List.of("smart-long")));
      assertThat(router.contentPolicyFallbacks()).containsExactly(Map.entry("fast", List.of("lenient")));
      assertThat(router.cooldown()).isEqualTo(new CooldownConfig(3, Duration.ofSeconds(60), Duration.ofSeconds(30)));
      assertThat(router.attemptTimeout()).isEqualTo(RouterConfig.DEFAULT_ATTEMPT_TIMEOUT);
      assertThat(router.idleTimeout()).isEqualTo(RouterConfig.DEFAULT_IDLE_TIMEOUT);
    }

    @Test
    void emptyMasterKeyDefaultMeansNoKey() throws Exception {
      Environment withoutMasterKey = Environment.of(Map.of(
          "OPENAI_API_KEY", "sk-openai-test-key", "GROQ_API_KEY", "gsk_groqtestkey1234"));

      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), withoutMasterKey);

      assertThat(config.server().masterKey()).as("master_key: ${BATON_MASTER_KEY:-} with the variable unset").isNull();
    }

    @Test
    void masterKeySetToEmptyMeansNoKey() throws Exception {
      Environment emptyMasterKey = Environment.of(Map.of("BATON_MASTER_KEY", "",
          "OPENAI_API_KEY", "sk-openai-test-key", "GROQ_API_KEY", "gsk_groqtestkey1234"));

      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), emptyMasterKey);

      assertThat(config.server().masterKey()).isNull();
    }

    @Test
    void missingKeyVariablesAreNamedWithTheirLines() throws Exception {
      Environment onlyMaster = Environment.of(Map.of("BATON_MASTER_KEY", "m"));

      ConfigException e = catchConfigException(() -> ConfigLoader.load(resource("contract-example.yaml"), onlyMaster));

      assertThat(e.problems()).containsExactly(
          "contract-example.yaml:13: models[0].api_key: the environment variable OPENAI_API_KEY is not set"
              + " (write ${OPENAI_API_KEY:-default} to give a default)",
          "contract-example.yaml:28: models[1].api_key: the environment variable GROQ_API_KEY is not set"
              + " (write ${GROQ_API_KEY:-default} to give a default)",
          "contract-example.yaml:37: models[3].api_key: the environment variable OPENAI_API_KEY is not set"
              + " (write ${OPENAI_API_KEY:-default} to give a default)");
    }

    @Test
    void secretsAreNeverPrinted() throws Exception {
      BatonConfig config = ConfigLoader.load(resource("contract-example.yaml"), ENV);

      String printed = config.toString() + config.server() + config.models() + config.models().get(0).apiKey();

      assertThat(printed).doesNotContain("master-secret-123", "sk-openai-test-key", "gsk_groqtestkey1234")
          .contains("****");
    }
  }

  @Nested
  class Interpolation {

    @Test
    void defaultIsUsedWhenTheVariableIsUnset() {
      BatonConfig config = parse(server("  host: ${HOST:-0.0.0.0}\n"), NO_VARIABLES);

      assertThat(config.server().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void defaultIsUsedWhenTheVariableIsEmpty() {
      BatonConfig config = parse(server("  host: ${HOST:-0.0.0.0}\n"), Environment.of(Map.of("HOST", "")));

      assertThat(config.server().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void valueIsUsedWhenTheVariableIsSet() {
      BatonConfig config = parse(server("  host: ${HOST:-0.0.0.0}\n"), Environment.of(Map.of("HOST", "10.0.0.1")));

      assertThat(config.server().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void emptyValueWithoutDefaultIsEmpty() {
      BatonConfig config = parse(server("  master_key: ${KEY}\n"), Environment.of(Map.of("KEY", "")));

      assertThat(config.server().masterKey()).as("a set but empty variable is not an error, and no key").isNull();
    }

    @Test
    void severalVariablesInOneValue() {
      String yaml = """
          models:
            - name: a
              provider: openai-compatible
              model: m
              api_base: http://${HOST}:${PORT:-8080}/v1
          """;

      BatonConfig config = parse(yaml, Environment.of(Map.of("HOST", "gpu-box")));

      assertThat(config.models().get(0).apiBase()).isEqualTo("http://gpu-box:8080/v1");
    }

    @Test
    void numbersDurationsAndSizesCanComeFromVariables() {
      String yaml = """
          server:
            port: ${PORT:-4000}
            max_body: ${MAX_BODY}
          models:
            - name: a
              provider: mock
              model: m
              timeout: ${TIMEOUT}
          """;

      BatonConfig config = parse(yaml, Environment.of(Map.of("PORT", "8080", "MAX_BODY", "1MB", "TIMEOUT", "5s")));

      assertThat(config.server().port()).isEqualTo(8080);
      assertThat(config.server().maxBody()).isEqualTo(1024 * 1024);
      assertThat(config.models().get(0).timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void variablesInListsAreReplaced() {
      String yaml = ONE_MODEL + """
            - name: b
              provider: mock
              model: m
          router:
            fallbacks:
              a:
                - ${FALLBACK}
          """;

      BatonConfig config = parse(yaml, Environment.of(Map.of("FALLBACK", "b")));

      assertThat(config.router().fallbacks()).containsExactly(Map.entry("a", List.of("b")));
    }

    @Test
    void quotedVariablesInFlowListsAreReplaced() {
      String yaml = ONE_MODEL + """
            - name: b
              provider: mock
              model: m
          router:
            fallbacks:
              a: ["${FALLBACK}"]
          """;

      BatonConfig config = parse(yaml, Environment.of(Map.of("FALLBACK", "b")));

      assertThat(config.router().fallbacks()).containsExactly(Map.entry("a", List.of("b")));
    }

    @Test
    void unquotedVariableInAFlowListIsASyntaxErrorThatSaysToQuoteIt() {
      String yaml = ONE_MODEL + "router:\n  default_fallbacks: [${FALLBACK}]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, Environment.of(Map.of("FALLBACK", "a"))));

      assertThat(e.problems()).singleElement().asString()
          .startsWith("baton.yaml:6: not valid YAML: ")
          .endsWith("(inside [ ] or { }, write a ${VAR} value in quotes: \"${VAR}\")");
    }

    @Test
    void unsetVariableIsAnErrorNamingItAndItsLine() {
      String yaml = """
          models:
            - name: a
              provider: openai
              model: gpt-4o
              api_key: ${OPENAI_API_KEY}
          """;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:5: models[0].api_key: the environment variable"
          + " OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-default} to give a default)");
    }

    @Test
    void providerFromAVariableStillAllowsItsOwnKeys() {
      String yaml = """
          models:
            - name: a
              provider: ${PROVIDER:-mock}
              model: m
              mock_error: 503
          """;

      BatonConfig config = parse(yaml, NO_VARIABLES);

      assertThat(config.models().get(0).provider()).isEqualTo("mock");
      assertThat(config.models().get(0).option("mock_error")).isEqualTo("503");
    }
  }

  @Nested
  class UnknownKeys {

    @Test
    void atTheTopLevel() {
      String yaml = ONE_MODEL + "routr:\n  retries: 1\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:5: routr: unknown key 'routr'; did you mean 'router'?");
    }

    @Test
    void inServer() {
      String yaml = "server:\n  host: 0.0.0.0\n  prot: 4000\n" + ONE_MODEL;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:3: server.prot: unknown key 'prot'; did you mean 'port'?");
    }

    @Test
    void inAModel() {
      String yaml = """
          models:
            - name: a
              provider: mock
              model: m
              tiemout: 30s
          """;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:5: models[0].tiemout: unknown key 'tiemout'; did you mean 'timeout'?");
    }

    @Test
    void inRouter() {
      String yaml = ONE_MODEL + "router:\n  retries: 1\n  fallback:\n    a: []\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:7: router.fallback: unknown key 'fallback'; did you mean 'fallbacks'?");
    }

    @Test
    void inCooldown() {
      String yaml = ONE_MODEL + "router:\n  cooldown:\n    failure: 3\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:7: router.cooldown.failure: unknown key 'failure'; did you mean 'failures'?");
    }

    @Test
    void farFromAnyKnownKeyListsTheKnownKeys() {
      String yaml = ONE_MODEL + "verbosity: debug\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:5: verbosity: unknown key 'verbosity'; known keys: server, models, router, database, logging, catalogue, telemetry, redis, cache");
    }

    @Test
    void aKeyGivenTwice() {
      String yaml = ONE_MODEL + "router:\n  retries: 1\n  retries: 2\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:7: router.retries: the key 'retries' is given twice");
    }

    @Test
    void providerOptionIsAcceptedOnItsProvider() {
      String yaml = """
          models:
            - name: a
              provider: mock
              model: m
              mock_error: 503
              mock_failures: 2
          """;

      BatonConfig config = parse(yaml, NO_VARIABLES);

      assertThat(config.models().get(0).options()).containsOnly(
          Map.entry("mock_error", "503"), Map.entry("mock_failures", "2"));
    }

    @Test
    void providerOptionIsRejectedOnAnotherProvider() {
      String yaml = """
          models:
            - name: a
              provider: openai
              model: gpt-4o
              api_key: sk-test
              mock_error: 503
          """;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).singleElement().asString()
          .startsWith("baton.yaml:6: models[0].mock_error: unknown key 'mock_error'");
    }
  }

  @Nested
  class WrongTypes {

    @Test
    void portThatIsNotANumber() {
      String yaml = "server:\n  port: abc\n" + ONE_MODEL;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:2: server.port: must be a whole number, was 'abc'");
    }

    @Test
    void portOutOfRange() {
      String yaml = "server:\n  port: 70000\n" + ONE_MODEL;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:2: server.port: must be between 0 and 65535, was 70000");
    }

    @Test
    void retriesWrittenAsAWord() {
      String yaml = ONE_MODEL + "router:\n  retries: two\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:6: router.retries: must be a whole number, was 'two'");
    }

    @Test
    void timeoutWithoutAUnit() {
      String yaml = ONE_MODEL + "    timeout: 30\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:5: models[0].timeout: expected a duration such as 250ms,"
          + " 30s, 5m or 1h, was '30'");
    }

    @Test
    void weightGivenAsAList() {
      String yaml = ONE_MODEL + "    weight: [1, 2]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:5: models[0].weight: must be a single value, not a list");
    }

    @Test
    void costThatIsNotANumber() {
      String yaml = ONE_MODEL + "    input_cost_per_mtok: cheap\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:5: models[0].input_cost_per_mtok: must be a number, was 'cheap'");
    }

    @Test
    void negativeRetriesOnAModel() {
      String yaml = ONE_MODEL + "    retries: -1\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:5: models[0].retries: must be >= 0, was -1");
    }

    @Test
    void zeroDuration() {
      String yaml = ONE_MODEL + "router:\n  cooldown:\n    window: 0s\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:7: router.cooldown.window: must be longer than zero, was 0ms");
    }

    @Test
    void unknownStrategy() {
      String yaml = ONE_MODEL + "router:\n  strategy: fastest\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:6: router.strategy: unknown strategy 'fastest';"
          + " expected one of weighted, least-busy, latency, cost");
    }

    @Test
    void unknownProvider() {
      String yaml = "models:\n  - name: a\n    provider: openia\n    model: m\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).singleElement().asString()
          .startsWith("baton.yaml:3: models[0].provider: unknown provider 'openia'; known providers: ")
          .contains("openai", "mock");
    }

    @Test
    void modelsThatIsNotAList() {
      String yaml = "models:\n  name: a\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:1: models: must be a list of models, each with name, provider and model");
    }

    @Test
    void sectionThatIsNotAMapping() {
      String yaml = "server: 4000\n" + ONE_MODEL;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:1: server: must be a mapping of host, port, master_key, max_body, read_timeout, shutdown_grace");
    }
  }

  @Nested
  class MissingFields {

    @ParameterizedTest
    @CsvSource({"name", "provider", "model"})
    void requiredModelFieldIsNamedWithTheModelsLine(String missing) {
      String second = Map.of("name", "  - provider: mock\n    model: m\n",
          "provider", "  - name: b\n    model: m\n",
          "model", "  - name: b\n    provider: mock\n").get(missing);
      String yaml = "models:\n  - name: a\n    provider: mock\n    model: m\n" + second;

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).as("in:%n%s", yaml)
          .containsExactly("baton.yaml:5: models[1]: '" + missing + "' is required");
    }

    @Test
    void emptyModelName() {
      String yaml = "models:\n  - name: ''\n    provider: mock\n    model: m\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:2: models[0].name: must not be empty");
    }

    @Test
    void modelNameWithALineBreak() {
      String yaml = "models:\n  - name: \"a\\r\\nSet-Cookie: x\"\n    provider: mock\n    model: m\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems())
          .containsExactly("baton.yaml:2: models[0].name: must not contain control characters such as a line break");
    }

    @Test
    void noModelsAtAll() {
      ConfigException e = catchConfigException(() -> parse("server:\n  port: 4000\n", NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml: 'models' is missing: list at least one model");
    }

    @Test
    void emptyModelList() {
      ConfigException e = catchConfigException(() -> parse("models: []\n", NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:1: models: at least one model is needed");
    }

    @Test
    void emptySectionsMeanDefaults() {
      String yaml = "server:\n  # nothing set here\nrouter:\n" + ONE_MODEL;

      BatonConfig config = parse(yaml, NO_VARIABLES);

      assertThat(config.server()).isEqualTo(ServerConfig.defaults());
      assertThat(config.router()).isEqualTo(RouterConfig.defaults());
    }
  }

  @Nested
  class Fallbacks {

    private static final String MODELS = """
        models:
          - name: a
            provider: mock
            model: m
          - name: b
            provider: mock
            model: m
        router:
        """;

    @ParameterizedTest
    @CsvSource({"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"})
    void namingAnUnknownModelIsAnErrorWithItsLine(String key) {
      String yaml = MODELS + "  " + key + ":\n    a: [b, ghost]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:10: router." + key + ".a[1]: the fallback 'ghost' is not"
          + " a model defined in models (defined: a, b)");
    }

    @ParameterizedTest
    @CsvSource({"fallbacks", "context_window_fallbacks", "content_policy_fallbacks"})
    void forAnUnknownModelIsAnErrorWithItsLine(String key) {
      String yaml = MODELS + "  " + key + ":\n    ghost: [a]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:10: router." + key + ".ghost: names the model 'ghost',"
          + " which is not defined in models (defined: a, b)");
    }

    @Test
    void defaultFallbacksNamingAnUnknownModel() {
      String yaml = MODELS + "  default_fallbacks:\n    - b\n    - ghost\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:11: router.default_fallbacks[1]: the fallback 'ghost' is"
          + " not a model defined in models (defined: a, b)");
    }

    @Test
    void aSingleNameIsAListOfOne() {
      String yaml = MODELS + "  fallbacks:\n    a: b\n  default_fallbacks: a\n";

      BatonConfig config = parse(yaml, NO_VARIABLES);

      assertThat(config.router().fallbacks()).containsExactly(Map.entry("a", List.of("b")));
      assertThat(config.router().defaultFallbacks()).containsExactly("a");
    }

    @Test
    void selfFallback() {
      String yaml = MODELS + "  fallbacks:\n    a: [b, a]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:10: router.fallbacks.a[1]: 'a' cannot fall back to itself");
    }

    @Test
    void duplicateFallback() {
      String yaml = MODELS + "  fallbacks:\n    a:\n      - b\n      - b\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:12: router.fallbacks.a[1]: 'b' is listed twice");
    }

    @Test
    void modelWithTwoFallbackEntries() {
      String yaml = MODELS + "  fallbacks:\n    a: [b]\n    a: [b]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:11: router.fallbacks.a: listed twice");
    }

    @Test
    void fallbacksThatAreNotAMapping() {
      String yaml = MODELS + "  fallbacks: [a, b]\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:9: router.fallbacks: must map model names to lists of fallback names");
    }
  }

  @Nested
  class Sizes {

    @ParameterizedTest
    @CsvSource({
        "10MB, 10485760",
        "512KB, 524288",
        "1GB, 1073741824",
        "1048576, 1048576",
        "100B, 100",
        "2mb, 2097152",
        "4 KiB, 4096",
        "3MiB, 3145728"})
    void areReadInPowersOf1024(String written, long bytes) {
      BatonConfig config = parse(server("  max_body: " + written + "\n"), NO_VARIABLES);

      assertThat(config.server().maxBody()).as("max_body: %s", written).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"ten MB", "10TB", "-1MB", "1.5MB"})
    void unreadableSizeIsAnErrorWithItsLine(String written) {
      ConfigException e = catchConfigException(() -> parse(server("  max_body: " + written + "\n"), NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:2: server.max_body: expected a size such as 512KB, 10MB or"
          + " 1GB, was '" + written + "'");
    }

    @ParameterizedTest
    @CsvSource({"99999999999999999999", "9999999999GB"})
    void sizeTooLargeForALongIsAConfigError(String written) {
      ConfigException e = catchConfigException(() -> parse(server("  max_body: " + written + "\n"), NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:2: server.max_body: the size '" + written + "' is too large");
    }

    @Test
    void zeroIsAnError() {
      ConfigException e = catchConfigException(() -> parse(server("  max_body: 0\n"), NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:2: server.max_body: must be positive, was 0");
    }
  }

  @Nested
  class Durations {

    @ParameterizedTest
    @CsvSource({"250ms, 250", "30s, 30000", "5m, 300000", "1h, 3600000", "1.5s, 1500", "0.5m, 30000"})
    void areReadWithTheirUnit(String written, long millis) {
      BatonConfig config = parse(ONE_MODEL + "    timeout: " + written + "\n", NO_VARIABLES);

      assertThat(config.models().get(0).timeout()).as("timeout: %s", written).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"30", "30 seconds", "-5s", "5d", "s"})
    void withoutAKnownUnitAreAnError(String written) {
      ConfigException e = catchConfigException(() -> parse(ONE_MODEL + "    timeout: " + written + "\n", NO_VARIABLES));

      assertThat(e.problems()).singleElement().asString().startsWith("baton.yaml:5: models[0].timeout: ")
          .contains("'" + written + "'");
    }
  }

  @Test
  void severalProblemsAreReportedTogether() {
    String yaml = """
        server:
          port: abc
          hots: 0.0.0.0
        models:
          - name: a
            provider: mock
            model: m
            retries: many
          - name: b
            model: m
        router:
          timeout: 30
        """;

    ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        "baton.yaml:2: server.port: must be a whole number, was 'abc'",
        "baton.yaml:3: server.hots: unknown key 'hots'; did you mean 'host'?",
        "baton.yaml:8: models[0].retries: must be a whole number, was 'many'",
        "baton.yaml:9: models[1]: 'provider' is required",
        "baton.yaml:12: router.timeout: expected a duration such as 250ms, 30s, 5m or 1h, was '30'");
    assertThat(e.getMessage()).startsWith("5 problems in the configuration:\n  ");
  }

  @Test
  void severalValidationProblemsAreReportedTogether() {
    String yaml = ONE_MODEL + """
            weight: 0
        router:
          retries: -1
          fallbacks:
            a: [ghost]
        """;

    ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

    assertThat(e.problems()).containsExactlyInAnyOrder(
        "baton.yaml:5: models[0].weight: must be >= 1, was 0",
        "baton.yaml:7: router.retries: must be >= 0, was -1",
        "baton.yaml:9: router.fallbacks.a[0]: the fallback 'ghost' is not a model defined in models (defined: a)");
  }

  @Test
  void yamlSyntaxErrorHasItsLine() {
    String yaml = "models:\n  - name: a\n    provider: mock\n   model: [m\n";

    ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

    assertThat(e.problems()).singleElement().asString().matches("baton\\.yaml:[45]: not valid YAML: .+");
  }

  @Test
  void tabIndentationIsASyntaxErrorWithItsLine() {
    String yaml = "models:\n\t- name: a\n";

    ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

    assertThat(e.problems()).singleElement().asString().startsWith("baton.yaml:2: not valid YAML: ");
  }

  @Test
  void emptyFile() {
    ConfigException e = catchConfigException(() -> parse("", NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml: the file is empty; it needs at least a 'models' list");
  }

  @Test
  void fileOfOnlyComments() {
    ConfigException e = catchConfigException(() -> parse("# nothing yet\n\n", NO_VARIABLES));

    assertThat(e.problems()).containsExactly("baton.yaml: the file is empty; it needs at least a 'models' list");
  }

  @Test
  void topLevelThatIsNotAMapping() {
    ConfigException e = catchConfigException(() -> parse("- a\n- b\n", NO_VARIABLES));

    assertThat(e.problems()).containsExactly(
        "baton.yaml:1: the top level: must be a mapping of server, models, router, database, logging, catalogue, telemetry, redis, cache");
  }

  @Test
  void missingFileNamesIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> ConfigLoader.load(missing, NO_VARIABLES))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("no such file");
  }

  @Test
  void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("gateway.yaml"),
        "models:\n  - name: a\n    provider: mock\n    mdoel: m\n");

    ConfigException e = catchConfigException(() -> ConfigLoader.load(file, NO_VARIABLES));

    assertThat(e.problems()).containsExactly(
        "gateway.yaml:4: models[0].mdoel: unknown key 'mdoel'; did you mean 'model'?",
        "gateway.yaml:2: models[0]: 'model' is required");
  }

  @Test
  void defaultsWhenOnlyModelsAreGiven() {
    BatonConfig config = parse(ONE_MODEL, NO_VARIABLES);

    assertThat(config.server()).isEqualTo(ServerConfig.defaults());
    assertThat(config.router()).isEqualTo(RouterConfig.defaults());
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(4000);
    assertThat(config.server().maxBody()).isEqualTo(10L * 1024 * 1024);
  }

  @Test
  void masterKeyIsNeverPrinted() {
    BatonConfig config = parse(server("  master_key: hunter2-master\n"), NO_VARIABLES);

    assertThat(config.server().masterKey().reveal()).isEqualTo("hunter2-master");
    assertThat(config.toString()).doesNotContain("hunter2-master");
    assertThat(config.server().masterKey().toString()).isEqualTo("****");
  }

  @Nested
  class Telemetry {

    @Test
    void withoutTheSectionThereIsNoTelemetry() {
      assertThat(parse(ONE_MODEL, NO_VARIABLES).telemetry()).isNull();
    }

    @Test
    void theContractsSectionIsMapped() {
      String yaml = ONE_MODEL + """
          telemetry:
            otlp_endpoint: http://127.0.0.1:4318   # OTLP/HTTP
            service_name: baton
          """;

      TelemetryConfig telemetry = parse(yaml, NO_VARIABLES).telemetry();

      assertThat(telemetry).isEqualTo(new TelemetryConfig("http://127.0.0.1:4318", "baton"));
    }

    @Test
    void anEmptySectionTurnsTracesOnWithTheDefaults() {
      assertThat(parse(ONE_MODEL + "telemetry:\n", NO_VARIABLES).telemetry()).isEqualTo(TelemetryConfig.DEFAULTS);
    }

    @Test
    void theEndpointMayComeFromAVariable() {
      String yaml = ONE_MODEL + "telemetry:\n  otlp_endpoint: ${COLLECTOR:-http://localhost:4318}\n";

      TelemetryConfig telemetry = parse(yaml, Environment.of(Map.of("COLLECTOR", "http://collector:4318"))).telemetry();

      assertThat(telemetry.otlpEndpoint()).isEqualTo("http://collector:4318");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
      String yaml = ONE_MODEL + "telemetry:\n  otlp_endpoint: http://127.0.0.1:4318\n  servce_name: baton\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:7: telemetry.servce_name: unknown key 'servce_name'; did you mean 'service_name'?");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedWithItsLine() {
      String yaml = ONE_MODEL + "telemetry:\n  otlp_endpoint: 127.0.0.1:4317\n";

      ConfigException e = catchConfigException(() -> parse(yaml, NO_VARIABLES));

      assertThat(e.problems()).containsExactly("baton.yaml:6: telemetry.otlp_endpoint: must be the OTLP/HTTP"
          + " collector's URL, such as http://127.0.0.1:4318, was '127.0.0.1:4317'");
    }

    @Test
    void aSectionThatIsNotAMappingIsRefused() {
      ConfigException e = catchConfigException(() -> parse(ONE_MODEL + "telemetry: on\n", NO_VARIABLES));

      assertThat(e.problems()).containsExactly(
          "baton.yaml:5: telemetry: must be a mapping of otlp_endpoint, service_name");
    }
  }

  private static String server(String lines) {
    return "server:\n" + lines + ONE_MODEL;
  }

  private static BatonConfig parse(String yaml, Environment environment) {
    return ConfigLoader.parse(yaml, "baton.yaml", environment);
  }

  private static ConfigException catchConfigException(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    ConfigException e = catchThrowableOfType(ConfigException.class, call);
    assertThat(e).as("a ConfigException").isNotNull();
    return e;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getClassLoader().getResource(name).toURI());
  }
}
