package dev.baton.local.gguf;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What Baton reads of a GGUF file before llama.cpp loads it: the metadata it needs (architecture,
 * context length, whether the tokenizer adds a start token, the chat template) and a check that the file
 * is whole. llama.cpp's own reasons for refusing a file go to its log, which Baton keeps quiet, so the
 * common causes are found here first and named: not a GGUF file, an unsupported version, a download that
 * stopped before the end.
 *
 * @param architecture {@code general.architecture}, such as {@code llama} or {@code qwen2}
 * @param name {@code general.name}, if the file has one
 * @param contextLength the context the model was trained with ({@code <architecture>.context_length}), 0 if unknown
 * @param addsStartToken whether llama.cpp puts the start-of-sequence token before every prompt
 * @param chatTemplate {@code tokenizer.chat_template}, if the file has one
 */
record GgufHeader(
    String architecture, @Nullable String name, int contextLength, boolean addsStartToken,
    @Nullable String chatTemplate) {

  private static final int MAGIC = 0x46554747; // "GGUF", little-endian
  private static final long MAX_STRING = 64L << 20;

  /** Reads and checks a GGUF file's header; a file llama.cpp would refuse is an {@link IOException} saying why. */
  static GgufHeader read(Path file) throws IOException {
    long size = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      Reader r = new Reader(in);
      if (size < 8 || r.u32() != MAGIC) {
        throw new IOException("is not a GGUF file (it does not start with the bytes 'GGUF')");
      }
      int version = r.u32();
      if (version != 2 && version != 3) {
        throw new IOException("is GGUF version " + version + "; llama.cpp reads versions 2 and 3");
      }
      long tensors = r.u64();
      long keys = r.u64();
      if (tensors < 0 || keys < 0 || tensors > 1_000_000 || keys > 1_000_000) {
        throw new IOException("has a damaged header (" + tensors + " tensors, " + keys + " keys)");
      }
      Map<String, Object> values = new HashMap<>();
      for (long i = 0; i < keys; i++) {
        String key = r.string();
        int type = r.u32();
        Object value = r.value(type);
        if (value != null) {
          values.put(key, value);
        }
      }
      long alignment = values.get("general.alignment") instanceof Number n ? n.longValue() : 32;
      long end = 0;
      for (long i = 0; i < tensors; i++) {
        String name = r.string();
        int dims = r.u32();
        if (dims < 1 || dims > 4) {
          throw new IOException("has a damaged tensor table (tensor '" + name + "' has " + dims + " dimensions)");
        }
        long elements = 1;
        for (int d = 0; d < dims; d++) {
          elements = Math.multiplyExact(elements, r.u64());
        }
        int type = r.u32();
        long offset = r.u64();
        end = Math.max(end, offset + bytes(type, elements));
      }
      long dataStart = (r.position() + alignment - 1) / alignment * alignment;
      if (dataStart + end > size) {
        throw new IOException("is cut short: its tensors need " + (dataStart + end) + " bytes but it has " + size
            + " (an unfinished download?)");
      }
      String architecture = values.get("general.architecture") instanceof String s ? s : "";
      if (architecture.isEmpty()) {
        throw new IOException("has no general.architecture: it is not a model llama.cpp can load");
      }
      int context = values.get(architecture + ".context_length") instanceof Number n ? (int) Math.min(
          n.longValue(), Integer.MAX_VALUE) : 0;
      String tokenizer = values.get("tokenizer.ggml.model") instanceof String s ? s : "";
      // llama.cpp's default when the file does not say: SentencePiece and WordPiece vocabularies add one.
      boolean addsStart = values.get("tokenizer.ggml.add_bos_token") instanceof Boolean b
          ? b
          : tokenizer.equals("llama") || tokenizer.equals("bert");
      return new GgufHeader(architecture, values.get("general.name") instanceof String s ? s : null, context,
          addsStart, values.get("tokenizer.chat_template") instanceof String s ? s : null);
    } catch (EOFException e) {
      throw new IOException("ends inside its header: it is cut short or not a GGUF file");
    } catch (ArithmeticException e) {
      throw new IOException("has a damaged tensor table (sizes overflow)");
    }
  }

  /** A tensor's size in bytes for the ggml types models ship in; 0 (not checked) for the rest. */
  private static long bytes(int type, long elements) {
    // {block size in elements, bytes per block}, from ggml's type traits.
    long[] block = switch (type) {
      case 0 -> new long[] {1, 4};       // F32
      case 1, 30 -> new long[] {1, 2};   // F16, BF16
      case 2 -> new long[] {32, 18};     // Q4_0
      case 3 -> new long[] {32, 20};     // Q4_1
      case 6 -> new long[] {32, 22};     // Q5_0
      case 7 -> new long[] {32, 24};     // Q5_1
      case 8 -> new long[] {32, 34};     // Q8_0
      case 10 -> new long[] {256, 84};   // Q2_K
      case 11 -> new long[] {256, 110};  // Q3_K
      case 12 -> new long[] {256, 144};  // Q4_K
      case 13 -> new long[] {256, 176};  // Q5_K
      case 14 -> new long[] {256, 210};  // Q6_K
      default -> null;
    };
    return block == null ? 0 : elements / block[0] * block[1];
  }

  /** Little-endian reads over a stream, counting the bytes read. */
  private static final class Reader {
    private final InputStream in;
    private long position;

    Reader(InputStream in) {
      this.in = in;
    }

    long position() {
      return position;
    }

    private byte[] bytes(int n) throws IOException {
      byte[] b = in.readNBytes(n);
      if (b.length < n) {
        throw new EOFException();
      }
      position += n;
      return b;
    }

    private void skip(long n) throws IOException {
      long left = n;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new EOFException();
          }
          skipped = 1;
        }
        left -= skipped;
      }
      position += n;
    }

    int u32() throws IOException {
      byte[] b = bytes(4);
      return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    long u64() throws IOException {
      return (u32() & 0xffffffffL) | ((long) u32()) << 32;
    }

    String string() throws IOException {
      long n = u64();
      if (n < 0 || n > MAX_STRING) {
        throw new IOException("has a damaged header (a string of " + n + " bytes)");
      }
      return new String(bytes((int) n), StandardCharsets.UTF_8);
    }

    /** A metadata value: scalars and strings are returned, arrays skipped (null). */
    @Nullable Object value(int type) throws IOException {
      return switch (type) {
        case 0, 1 -> (long) bytes(1)[0] & (type == 0 ? 0xff : -1);
        case 2, 3 -> {
          byte[] b = bytes(2);
          int v = (b[0] & 0xff) | (b[1] & 0xff) << 8;
          yield (long) (type == 3 ? (short) v : v);
        }
        case 4 -> u32() & 0xffffffffL;
        case 5 -> (long) u32();
        case 6 -> (double) Float.intBitsToFloat(u32());
        case 7 -> bytes(1)[0] != 0;
        case 8 -> string();
        case 9 -> {
          int elementType = u32();
          long count = u64();
          if (count < 0) {
            throw new IOException("has a damaged header (an array of " + count + " values)");
          }
          long width = width(elementType);
          if (width > 0) {
            skip(Math.multiplyExact(count, width));
          } else {
            for (long i = 0; i < count; i++) {
              value(elementType);
            }
          }
          yield null;
        }
        case 10, 11 -> u64();
        case 12 -> Double.longBitsToDouble(u64());
        default -> throw new IOException("has a damaged header (value type " + type + ")");
      };
    }

    private static long width(int type) {
      return switch (type) {
        case 0, 1, 7 -> 1;
        case 2, 3 -> 2;
        case 4, 5, 6 -> 4;
        case 10, 11, 12 -> 8;
        default -> 0;
      };
    }
  }
}
