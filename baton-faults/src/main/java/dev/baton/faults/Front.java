package dev.baton.faults;

import dev.baton.config.BatonConfig;
import java.util.function.Function;

/** A front door the suite asks through: the SDK in-process, or the gateway over HTTP. */
public interface Front extends AutoCloseable {

  /**
   * One request.
   *
   * @param stream whether to stream the answer
   * @param includeUsage whether a stream should end with its usage
   */
  Answer ask(String model, String prompt, boolean stream, boolean includeUsage);

  /** The gateway's Prometheus text, or empty for the SDK. */
  default String metrics() {
    return "";
  }

  @Override
  void close();

  /**
   * The front doors, by name: the SDK in-process, the gateway read as the benchmark's harness reads it
   * (raw SSE, success only with {@code [DONE]}), and the gateway through the official OpenAI Java SDK.
   */
  enum Kind {
    SDK(SdkFront::new),
    GATEWAY(GatewayFront::new),
    OPENAI_JAVA(OpenAiJavaFront::new);

    private final Function<BatonConfig, Front> open;

    Kind(Function<BatonConfig, Front> open) {
      this.open = open;
    }

    public Front open(BatonConfig config) {
      return open.apply(config);
    }

    public String label() {
      return switch (this) {
        case SDK -> "SDK";
        case GATEWAY -> "gateway";
        case OPENAI_JAVA -> "gateway + openai-java";
      };
    }
  }
}
