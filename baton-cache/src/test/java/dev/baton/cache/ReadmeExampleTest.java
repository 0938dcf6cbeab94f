package dev.baton.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.ReadmeExample;
import dev.baton.testkit.Reply;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's SDK cache example, compiled from the README and run as its own program against a fake OpenAI. */
class ReadmeExampleTest {

  @Test
  void theCacheExampleAsksOnceAndPrintsWhatTheReadmeShows(@TempDir Path work) {
    try (FakeUpstream openai = FakeUpstream.start()) {
      openai.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o-mini-2024-07-18",
          "A model tried when the first one fails.")));

      String printed = ReadmeExample.run(ReadmeExample.block("```java", "The SDK cache example"),
          Map.of("OPENAI_BASE_URL", openai.url("/v1"), "OPENAI_API_KEY", "sk-readme-test-key-0123456789"), work);

      assertThat(printed.strip()).isEqualTo(ReadmeExample.block("```text", "With OpenAI answering once").strip());
      assertThat(openai.requests()).hasSize(1);
    }
  }
}
