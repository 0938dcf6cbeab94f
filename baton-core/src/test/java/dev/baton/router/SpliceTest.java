package dev.baton.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testkit.OpenAiFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a continuation is joined onto the text a caller already has: each part once, or not at all. */
class SpliceTest {

  static String tokens(int from, int to) {
    return OpenAiFixtures.numberedText(from, to);
  }

  static final String SENT = tokens(0, 40);

  /** Feeds the pieces one by one and returns everything passed on, ending the text at the end. */
  static String join(Splice splice, List<String> pieces) {
    StringBuilder out = new StringBuilder();
    for (String piece : pieces) {
      out.append(splice.accept(piece));
    }
    out.append(splice.end());
    return out.toString();
  }

  static List<String> words(String text) {
    List<String> pieces = new ArrayList<>();
    for (String w : text.split("(?<= )")) {
      pieces.add(w);
    }
    return pieces;
  }

  static List<String> characters(String text) {
    List<String> pieces = new ArrayList<>();
    for (char c : text.toCharArray()) {
      pieces.add(String.valueOf(c));
    }
    return pieces;
  }

  @Test
  void aRestartIsSkippedUpToWhatTheCallerHas() {
    Splice splice = new Splice(SENT, false);

    String out = join(splice, words(tokens(0, 60)));

    assertThat(out).isEqualTo(tokens(40, 60));
    assertThat(splice.join()).isEqualTo(Splice.Join.RESTART);
  }

  @Test
  void aRestartWithOtherWhitespaceIsStillARestart() {
    Splice splice = new Splice(SENT, false);
    StringBuilder restart = new StringBuilder("\n\n");
    for (int i = 0; i < 60; i++) {
      restart.append(i % 7 == 0 && i < 40 ? "  t" : i % 9 == 0 && i < 40 ? "\nt" : " t").append(i);
    }

    String out = join(splice, characters(restart.toString()));

    assertThat(out).isEqualTo(tokens(40, 60).strip());
    assertThat(SENT + out).isEqualTo(tokens(0, 60).strip());
  }

  @Test
  void anOverlapOfAFewWordsIsDropped() {
    Splice splice = new Splice(SENT, false);

    String out = join(splice, words(tokens(37, 60)));

    assertThat(out).isEqualTo(tokens(40, 60));
    assertThat(splice.join()).isEqualTo(Splice.Join.OVERLAP);
  }

  @Test
  void anOverlapThatDiffersOnlyInCaseAndSpacingIsDropped() {
    Splice splice = new Splice("We went to the store and", false);

    String out = join(splice, words("The  store and bought bread."));

    assertThat(out).isEqualTo(" bought bread.");
  }

  @Test
  void theCallersCutLastWordIsCompleted() {
    Splice splice = new Splice("and then she said Hel", false);

    String out = join(splice, words("she said Hello to everyone"));

    assertThat("and then she said Hel" + out).isEqualTo("and then she said Hello to everyone");
  }

  @Test
  void aWordThatOnlyStartsLikeTheCallersLastWholeWordIsNotAnOverlap() {
    Splice splice = new Splice("we read about the ", true);

    String out = join(splice, words("theory of everything"));

    assertThat(out).isEqualTo("theory of everything");
    assertThat(splice.join()).isEqualTo(Splice.Join.NEW_TEXT);
  }

  @Test
  void newTextFromATrustedPrefillPassesOnAtItsFirstDifferentCharacter() {
    Splice splice = new Splice(SENT, true);

    assertThat(splice.accept("t")).as("could still be t0 or t38: held").isEmpty();
    assertThat(splice.accept("40 ")).isEqualTo("t40 ");
    assertThat(splice.passesThrough()).isTrue();
    assertThat(splice.accept("t41 ")).isEqualTo("t41 ");
  }

  @Test
  void newTextThatStartsUnlikeTheCallersTextIsNotHeldAtAll() {
    Splice splice = new Splice(SENT, true);

    assertThat(splice.accept("and so on")).isEqualTo("and so on");
  }

  @Test
  void newTextWithoutProofOfWhereItJoinsIsRefused() {
    Splice splice = new Splice(SENT, false);

    assertThatThrownBy(() -> join(splice, words("The weather in Paris is mild in spring.")))
        .isInstanceOf(Splice.Misaligned.class)
        .hasMessageContaining("neither began with the answer's last words nor began the answer again");
  }

  @Test
  void aRestartThatGoesDifferentlyIsRefusedEvenFromATrustedPrefill() {
    Splice splice = new Splice(SENT, true);

    assertThatThrownBy(() -> join(splice, words(tokens(0, 10) + "and then something else")))
        .isInstanceOf(Splice.Misaligned.class)
        .hasMessageContaining("began the answer again and then went on differently after 10 words");
  }

  @Test
  void aRestartThatStopsShortOfWhatTheCallerHasIsRefused() {
    Splice splice = new Splice(SENT, true);

    assertThatThrownBy(() -> join(splice, words(tokens(0, 20))))
        .isInstanceOf(Splice.Misaligned.class);
  }

  @Test
  void aRepeatOfTheEndThatGoesDifferentlyIsRefused() {
    Splice splice = new Splice(SENT, true);

    assertThatThrownBy(() -> join(splice, words(tokens(30, 36) + "t99 ")))
        .isInstanceOf(Splice.Misaligned.class)
        .hasMessageContaining("repeated 6 words of the answer's end");
  }

  @Test
  void anEmptyContinuationProvesNothingUnlessTrusted() {
    assertThat(join(new Splice(SENT, true), List.of())).isEmpty();
    assertThatThrownBy(() -> join(new Splice(SENT, false), List.of(""))).isInstanceOf(Splice.Misaligned.class)
        .hasMessageContaining("no text");
  }

  @Test
  void whitespaceTheCallerAlreadyHasIsNotSentTwiceAfterAJoin() {
    Splice splice = new Splice("one two three ", false);

    assertThat(splice.accept("one two three")).isEmpty();
    assertThat(splice.accept(" ")).isEmpty();
    assertThat(splice.accept(" four")).isEqualTo("four");
    assertThat(splice.accept(" five")).isEqualTo(" five");
  }

  @Test
  void aShortAnswerRestartedIsSkipped() {
    Splice splice = new Splice("Hi", false);

    assertThat(join(splice, words("Hi there!"))).isEqualTo(" there!");
  }

  @Test
  void theSamePiecesInAnyChunkingGiveTheSameText() {
    String continuation = tokens(36, 60);

    String byWord = join(new Splice(SENT, false), words(continuation));
    String byCharacter = join(new Splice(SENT, false), characters(continuation));
    String whole = join(new Splice(SENT, false), List.of(continuation));

    assertThat(byWord).isEqualTo(tokens(40, 60)).isEqualTo(byCharacter).isEqualTo(whole);
  }

  @Test
  void theAnchorIsTheLastFiveWordsAsWritten() {
    assertThat(Splice.anchor(SENT)).isEqualTo("t35 t36 t37 t38 t39");
    assertThat(Splice.anchor("Hi")).isEqualTo("Hi");
    assertThat(Splice.anchor("  so, it goes on: and on\n")).isEqualTo("it goes on: and on");
    assertThat(Splice.anchor("int x = a[0] + b[1] + c[2];")).isEqualTo("0] + b[1] + c[2];");
  }

  @Test
  void aProvingPrefillHoldsBackTheLastTwoWords() {
    assertThat(SENT.substring(0, Splice.proofCut(SENT))).isEqualTo(tokens(0, 38));
    assertThat(Splice.proofCut("one two")).as("nothing would be left to continue").isEqualTo("one two".length());
  }

  @Test
  void aProvingPrefillAnsweredWithTheHeldBackWordsJoins() {
    Splice splice = new Splice(SENT, false);

    assertThat(join(splice, words(tokens(38, 60)))).isEqualTo(tokens(40, 60));
    assertThat(splice.join()).isEqualTo(Splice.Join.OVERLAP);
  }
}
