package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.errors.UnauthorizedException;
import dev.baton.server.CommandTest.Run;
import dev.baton.testkit.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton keys create|list|revoke} against a real gateway's admin API, the key used with openai-java. */
class KeysCommandThroughGatewayTest {

  @TempDir
  Path dataDir;

  KeysGateway env;

  @BeforeEach
  void start() {
    env = new KeysGateway("database:\n  data_dir: " + dataDir + "\n");
    env.smart.always(Reply.json(200, chatCompletion("smart-model", "Hello from smart")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  Run keys(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "keys";
    all[1] = "--url";
    all[2] = env.url("");
    all[3] = "--master-key";
    all[4] = KeysGateway.MASTER_KEY;
    System.arraycopy(args, 0, all, 5, args.length);
    return CommandTest.run(all);
  }

  @Test
  void aKeyCreatedListedAndRevokedFromTheCommandLineWorksAndThenStops() {
    Run created = keys("create", "--name", "ci-bot", "--model", "smart", "--budget", "1", "--budget-duration", "1d",
        "--rpm", "10");
    assertThat(created.exit()).as(created.err()).isZero();
    String secret = created.out().strip();
    assertThat(secret).startsWith("sk-baton-");
    String keyId = created.err().replaceAll("(?s).*created key (key_[0-9a-f]+).*", "$1");

    OpenAIClient client = env.client(secret);
    assertThat(client.chat().completions().create(VirtualKeysContract.chat("smart")).choices()).hasSize(1);

    Run listed = keys("list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out()).contains(keyId).contains("ci-bot").contains(secret.substring(0, 13)).contains("$1.00/1d")
        .contains("$0.02").doesNotContain(secret);

    Run revoked = keys("revoke", keyId);
    assertThat(revoked.exit()).isZero();
    assertThat(catchThrowableOfType(UnauthorizedException.class,
        () -> client.chat().completions().create(VirtualKeysContract.chat("smart"))).code()).hasValue("invalid_api_key");
  }

  @Test
  void aFieldTheGatewayRefusesIsExitCode2WithItsMessage() {
    Run run = keys("create", "--name", "x", "--model", "gpt-5");

    assertThat(run.exit()).isEqualTo(2);
    // The command runs in the gateway's JVM here, so the gateway's own log lines may share its stderr.
    assertThat(run.err().lines().filter(line -> line.startsWith("baton: ")))
        .containsExactly("baton: models[0]: no model 'gpt-5' is served; served: smart, fast, mini");
  }
}
