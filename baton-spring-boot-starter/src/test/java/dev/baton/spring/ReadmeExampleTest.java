package dev.baton.spring;

import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.ReadmeExample;
import dev.baton.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Spring example, compiled from the README and run as its own Spring Boot application with
 * the README's application.yaml beside it: OpenAI failing, Anthropic calling the tool and then answering.
 */
class ReadmeExampleTest {

  @Test
  void theSpringExamplePrintsWhatTheReadmeShows(@TempDir Path work) throws Exception {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(500, error("The server had an error while processing your request.", "server_error",
          null)));
      anthropic.enqueue(
          Reply.json(200, """
              {"id":"msg_tool","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
               "content":[{"type":"tool_use","id":"toolu_paris","name":"weather","input":{"city":"Paris"}}],
               "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":300,"output_tokens":30}}"""),
          Reply.json(200, AnthropicFixtures.message("It is 18 degrees and sunny in Paris.", "end_turn")));
      Files.writeString(work.resolve("application.yaml"),
          ReadmeExample.block("```yaml", "The Spring example's `application.yaml`"), StandardCharsets.UTF_8);
      Map<String, String> environment = Map.of(
          "OPENAI_API_KEY", "sk-fake-openai", "OPENAI_BASE_URL", openai.url("/v1"),
          "ANTHROPIC_API_KEY", "sk-ant-fake", "ANTHROPIC_BASE_URL", anthropic.url(),
          // Only what the README leaves out of its output: the banner and the log lines. No web server: the
          // test classpath has Tomcat, the example's does not need it.
          "SPRING_MAIN_BANNERMODE", "off", "LOGGING_LEVEL_ROOT", "OFF", "SPRING_MAIN_WEBAPPLICATIONTYPE", "none");

      String printed = ReadmeExample.run(ReadmeExample.block("```java", "and its application, which asks"),
          environment, work);

      assertThat(printed.strip())
          .isEqualTo(ReadmeExample.block("```text", "With OpenAI failing with 500s and Claude answering").strip());
      assertThat(anthropic.requests()).hasSize(2);
    }
  }
}
