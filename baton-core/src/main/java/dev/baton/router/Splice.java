package dev.baton.router;

/**
 * Joins a continuation onto the answer text a caller already has, so that the caller never reads
 * anything twice and never reads anything that contradicts what it has. A continuation, however it was
 * asked for, arrives in one of three shapes:
 *
 * <ul>
 *   <li>a <b>restart</b>: it begins the answer again ({@code "t0 t1 ..."} after {@code "t0 ... t39"}) —
 *       what the caller has is skipped and only what comes after it is passed on;
 *   <li>an <b>overlap</b>: it begins with the last few words the caller has ({@code "t37 t38 t39 t40"}) —
 *       the overlap is dropped;
 *   <li><b>new text</b> from its first word on.
 * </ul>
 *
 * Comparison ignores whitespace and letter case (a restart that differs only in spacing is still a
 * restart) and respects word boundaries (an overlap is whole words, except that the caller's last word
 * may have been cut and is completed). New text is trusted only when the deployment continued the
 * caller's own text (a {@link #trusting trusted} prefill); otherwise nothing proves where it joins, and
 * the continuation is {@link Misaligned}. So is one that repeats {@value #REPEAT_WORDS} or more words of
 * the caller's text and then goes on differently: passing it on would repeat or contradict the answer.
 *
 * <p>The window: a continuation is held back only while it is still equal to text the caller already
 * has — that part is never forwarded anyway — and released at the first character that differs. So new
 * text waits for nothing but the repeat in front of it; an overlap is looked for among the caller's
 * last {@value #MAX_OVERLAP_WORDS} words only, which bounds the wait for text that merely happens to
 * start like them. Not thread-safe: one per continuation.
 */
final class Splice {

  /** The longest overlap with the end of the caller's text that is looked for, in words. */
  static final int MAX_OVERLAP_WORDS = 32;
  /** The shortest overlap taken as one: a single repeated word may well be meant. */
  static final int MIN_OVERLAP_WORDS = 2;
  /** A repeat of the caller's text this long that then diverges contradicts it. */
  static final int REPEAT_WORDS = 4;
  /** How many of its last words a continue turn asks the model to begin with. */
  static final int ANCHOR_WORDS = 5;

  /** How the continuation joined the caller's text. */
  enum Join {
    /** It began the answer again. */
    RESTART,
    /** It began with the end of the caller's text. */
    OVERLAP,
    /** It began with new text. */
    NEW_TEXT
  }

  /** The continuation cannot be joined without repeating or contradicting the caller's text. */
  static final class Misaligned extends RuntimeException {
    Misaligned(String reason) {
      super(reason, null, false, false);
    }
  }

  private final boolean trusting;
  private final boolean sentEndsInSpace;
  /** The caller's text without whitespace, lower-cased: what is compared. */
  private final char[] folded;
  /** For each folded character, the index of the word it belongs to. */
  private final int[] wordOf;
  /** Folded positions where a match may start: the beginning, and the starts of the last words. */
  private final int[] starts;
  private final boolean[] dead;
  private int alive;

  private final StringBuilder held = new StringBuilder();
  private int matched;
  private char lastMatched;
  /** A match that reached the end of the caller's text, waiting for the next character to show a word boundary. */
  private int reachedEnd = -1;
  private int best = -1;
  private int bestEnd;
  private int longestRepeat;
  private int longestRepeatStart;
  private boolean decided;
  private Join join = Join.NEW_TEXT;
  private boolean stripSpace;

  /**
   * @param sent the text the caller already has
   * @param trusting whether new text is taken as the continuation (the deployment continued the caller's
   *     own text, by prefill or by text completion)
   */
  Splice(String sent, boolean trusting) {
    this.trusting = trusting;
    this.sentEndsInSpace = !sent.isEmpty() && Character.isWhitespace(sent.charAt(sent.length() - 1));
    char[] chars = new char[sent.length()];
    int[] words = new int[sent.length()];
    int[] wordStarts = new int[sent.length() + 1];
    int n = 0;
    int word = -1;
    char previous = ' ';
    for (int i = 0; i < sent.length(); i++) {
      char c = sent.charAt(i);
      if (!Character.isWhitespace(c)) {
        if (!isWordChar(c) || !isWordChar(previous)) {
          word++;
          wordStarts[word] = n;
        }
        chars[n] = Character.toLowerCase(c);
        words[n] = word;
        n++;
      }
      previous = c;
    }
    this.folded = java.util.Arrays.copyOf(chars, n);
    this.wordOf = java.util.Arrays.copyOf(words, n);
    int count = word + 1;
    int first = Math.max(1, count - MAX_OVERLAP_WORDS);
    int last = count - MIN_OVERLAP_WORDS;
    int overlaps = Math.max(0, last - first + 1);
    this.starts = new int[(count > 0 ? 1 : 0) + overlaps];
    int s = 0;
    if (count > 0) {
      starts[s++] = 0;
    }
    for (int w = first; w <= last; w++) {
      starts[s++] = wordStarts[w];
    }
    this.dead = new boolean[starts.length];
    this.alive = starts.length;
    if (alive == 0) {
      decided = true;
    }
  }

  /**
   * The continue turn's anchor: the end of {@code sent} as written, from its {@value #ANCHOR_WORDS}th
   * last word (punctuation aside, and never more than half the overlap looked for), which the model is
   * asked to begin its reply with, so that where the reply joins can be checked.
   */
  static String anchor(String sent) {
    int end = sent.length();
    while (end > 0 && Character.isWhitespace(sent.charAt(end - 1))) {
      end--;
    }
    int words = 0;
    int tokens = 0;
    int i = end;
    while (i > 0 && words < ANCHOR_WORDS && tokens < MAX_OVERLAP_WORDS / 2) {
      char c = sent.charAt(i - 1);
      i--;
      if (!Character.isWhitespace(c) && (!isWordChar(c) || i == 0 || !isWordChar(sent.charAt(i - 1)))) {
        tokens++;
        if (isWordChar(c)) {
          words++;
        }
      }
    }
    return sent.substring(i, end).strip();
  }

  /**
   * Where a prefill that proves itself should stop: before the last {@value #MIN_OVERLAP_WORDS} words
   * of {@code sent}, which a deployment that really continues the text will write again. Returns
   * {@code sent.length()} when the text is too short to hold any back.
   */
  static int proofCut(String sent) {
    int words = 0;
    for (int i = sent.length(); i > 0; i--) {
      char c = sent.charAt(i - 1);
      if (!Character.isWhitespace(c) && (!isWordChar(c) || i == 1 || !isWordChar(sent.charAt(i - 2)))) {
        words++;
        if (words == MIN_OVERLAP_WORDS) {
          return i - 1 > 0 && hasWord(sent, i - 1) ? i - 1 : sent.length();
        }
      }
    }
    return sent.length();
  }

  private static boolean hasWord(String text, int end) {
    for (int i = 0; i < end; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether it has decided where the continuation joins; from then on text only passes through. */
  boolean decided() {
    return decided;
  }

  /** How the continuation joined, once decided. */
  Join join() {
    return join;
  }

  /** Whether, once decided, pieces still need {@link #accept} (to drop whitespace the caller has). */
  boolean passesThrough() {
    return decided && !stripSpace;
  }

  /**
   * The next piece of the continuation's text; returns what may be passed on now, possibly empty.
   *
   * @throws Misaligned when it cannot be joined
   */
  String accept(String piece) {
    if (decided) {
      return stripped(piece);
    }
    int from = held.length();
    held.append(piece);
    for (int i = from; i < held.length() && !decided; i++) {
      step(held.charAt(i), i);
    }
    if (!decided) {
      return "";
    }
    return release();
  }

  /**
   * The continuation's text has ended (it finished, or went on with something that is not text);
   * returns what is still held and may be passed on.
   *
   * @throws Misaligned when it cannot be joined
   */
  String end() {
    if (decided) {
      return "";
    }
    if (reachedEnd >= 0) {
      complete(reachedEnd, held.length());
    }
    for (int i = 0; i < starts.length; i++) {
      if (!dead[i]) {
        kill(i);
      }
    }
    decide();
    return release();
  }

  private void step(char c, int index) {
    if (reachedEnd >= 0) {
      // A match ends at a word boundary, or inside the caller's last word if that word may have been cut.
      boolean boundary = Character.isWhitespace(c) || !isWordChar(c) || !isWordChar(lastMatched);
      int start = reachedEnd;
      reachedEnd = -1;
      if (boundary || !sentEndsInSpace) {
        complete(start, index);
      } else if (alive == 0) {
        decide();
      }
      if (decided) {
        return;
      }
    }
    if (Character.isWhitespace(c)) {
      return;
    }
    char f = Character.toLowerCase(c);
    int reached = -1;
    for (int i = 0; i < starts.length; i++) {
      if (dead[i]) {
        continue;
      }
      int at = starts[i] + matched;
      if (folded[at] != f) {
        kill(i);
      } else if (at + 1 == folded.length) {
        reached = i;
      }
    }
    matched++;
    lastMatched = c;
    if (reached >= 0) {
      dead[reached] = true;
      alive--;
      reachedEnd = starts[reached];
    } else if (alive == 0) {
      decide();
    }
  }

  /** The match from {@code start} covers the rest of the caller's text and ends before {@code index}. */
  private void complete(int start, int index) {
    if (best < 0 || start < best) {
      best = start;
      bestEnd = index;
    }
    if (alive == 0) {
      decide();
    }
  }

  private void kill(int i) {
    dead[i] = true;
    alive--;
    if (matched > 0) {
      int last = starts[i] + matched - 1;
      boolean wholeLastWord = last + 1 == folded.length || wordOf[last + 1] != wordOf[last];
      int words = wordOf[last] - wordOf[starts[i]] + (wholeLastWord ? 1 : 0);
      if (words > longestRepeat) {
        longestRepeat = words;
        longestRepeatStart = starts[i];
      }
    }
  }

  private void decide() {
    if (decided) {
      return;
    }
    decided = true;
    if (best >= 0) {
      join = best == 0 ? Join.RESTART : Join.OVERLAP;
      held.delete(0, bestEnd);
      stripSpace = sentEndsInSpace;
      return;
    }
    if (longestRepeat >= REPEAT_WORDS) {
      throw new Misaligned(longestRepeatStart == 0
          ? "it began the answer again and then went on differently after " + longestRepeat + " words"
          : "it repeated " + longestRepeat + " words of the answer's end and then went on differently");
    }
    if (!trusting) {
      boolean empty = held.toString().isBlank();
      throw new Misaligned(empty
          ? "it answered with no text, so nothing shows where it joins"
          : "it neither began with the answer's last words nor began the answer again, so where it joins"
              + " cannot be told");
    }
    join = Join.NEW_TEXT;
  }

  private String release() {
    String out = stripped(held.toString());
    held.setLength(0);
    return out;
  }

  private String stripped(String piece) {
    if (!stripSpace || piece.isEmpty()) {
      return piece;
    }
    int i = 0;
    while (i < piece.length() && Character.isWhitespace(piece.charAt(i))) {
      i++;
    }
    if (i < piece.length()) {
      stripSpace = false;
    }
    return i == 0 ? piece : piece.substring(i);
  }

  /** Letters and digits make words; every other visible character (and each ideograph) is a word of its own. */
  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) && !Character.isIdeographic(c);
  }
}
