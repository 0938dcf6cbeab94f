package dev.baton.server;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton chat --model A --fallback B "prompt"}: one chat call through the SDK, with fallbacks. */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Send one chat message through the SDK, with fallbacks.")
final class ChatCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "PROVIDER/MODEL",
      description = "The model to ask first, such as openai/gpt-4o.")
  String model;

  @Option(names = "--fallback", paramLabel = "PROVIDER/MODEL", description = "A model to try next; repeatable.")
  List<String> fallbacks = new ArrayList<>();

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message.")
  String system;

  @Option(names = "--stream", description = "Print the answer as it arrives.")
  boolean stream;

  @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The message.")
  List<String> prompt;

  @Override
  public Integer call() {
    List<String> chain = new ArrayList<>();
    chain.add(model);
    chain.addAll(fallbacks);
    ChatRequest.Builder request = ChatRequest.builder();
    if (system != null) {
      request.system(system);
    }
    request.user(String.join(" ", prompt));
    try (Baton baton = Baton.builder().models(chain.toArray(String[]::new)).build()) {
      if (stream) {
        try (ChatStream answer = baton.stream(request.build())) {
          for (ChatChunk chunk : answer) {
            System.out.print(chunk.text());
            System.out.flush();
          }
          System.out.println();
          report(answer.model(), answer.attempts());
        }
      } else {
        ChatResponse answer = baton.chat(request.build());
        System.out.println(answer.text());
        report(answer.model(), answer.attempts());
      }
    }
    return 0;
  }

  private static void report(String model, List<Attempt> attempts) {
    StringBuilder line = new StringBuilder("(answered by ").append(model);
    long upstream = attempts.stream().filter(Attempt::wentUpstream).count();
    line.append(" after ").append(upstream).append(upstream == 1 ? " attempt" : " attempts");
    for (Attempt a : attempts) {
      if (a.outcome() != Attempt.Outcome.SUCCEEDED) {
        line.append("; ").append(a.deployment()).append(": ").append(a.reason());
      }
    }
    System.err.println(line.append(')'));
  }
}
