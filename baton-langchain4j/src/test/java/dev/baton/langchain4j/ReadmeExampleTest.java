package dev.baton.langchain4j;

import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.ReadmeExample;
import dev.baton.testkit.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's LangChain4j example, compiled from the README itself and run as its own program with the
 * environment pointed at fakes: OpenAI rate limited, Anthropic calling the tool and then answering.
 */
class ReadmeExampleTest {

  static final String CLAUDE_CALLS_THE_TOOL = """
      {"id":"msg_01WeatherTool","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
       "content":[{"type":"tool_use","id":"toolu_01Paris","name":"weather","input":{"city":"Paris"}}],
       "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":310,"output_tokens":40}}""";

  @Test
  void theLangChain4jExamplePrintsWhatTheReadmeShows(@TempDir Path work) {
    try (FakeUpstream openai = FakeUpstream.start(); FakeUpstream anthropic = FakeUpstream.start()) {
      openai.always(Reply.json(429, error("Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.",
          "requests", "rate_limit_exceeded")).header("Retry-After", "20"));
      anthropic.enqueue(Reply.json(200, CLAUDE_CALLS_THE_TOOL),
          Reply.json(200, AnthropicFixtures.message("It is 18 degrees and sunny in Paris.", "end_turn")));

      String printed = ReadmeExample.run(ReadmeExample.block("```java", "The LangChain4j example"),
          Fakes.environment(openai, anthropic), work);

      assertThat(printed.strip()).isEqualTo(ReadmeExample.block("```text", "With OpenAI rate limited and Claude").strip());
      assertThat(Fakes.body(anthropic.lastRequest()).get("messages").get(2).toString())
          .contains("18 degrees and sunny in Paris");
    }
  }
}
