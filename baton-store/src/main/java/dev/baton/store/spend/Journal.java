package dev.baton.store.spend;

import dev.baton.store.RequestRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage journal: request-log rows the database could not take, one JSON line each, appended and
 * fsync'd once per batch. To replay it, the file is first moved aside ({@code …replaying.jsonl}) so new
 * rows can go on being appended while the old ones are written; the moved file is deleted once every row
 * in it is in the database. Rows keep their ids, so a replay cut short (a crash, the database failing
 * again) and run again writes each row once.
 */
final class Journal {

  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

  private final Path file;
  private final Path replaying;

  Journal(Path file) {
    this.file = file;
    String name = file.getFileName().toString();
    String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    this.replaying = file.resolveSibling(base + ".replaying.jsonl");
  }

  Path file() {
    return file;
  }

  /** True when no row waits in either file. */
  synchronized boolean isEmpty() {
    return empty(file) && empty(replaying);
  }

  private static boolean empty(Path p) {
    try {
      return !Files.exists(p) || Files.size(p) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Appends rows and forces them to disk before returning. */
  synchronized void append(List<RequestRecord> rows) {
    if (rows.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (RequestRecord r : rows) {
      text.append(RowCodec.write(r)).append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spend journal " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Hands every journaled row to {@code sink} in chunks, oldest first, then deletes what was replayed. If
   * {@code sink} throws, nothing is deleted and the next replay starts over. A last line cut off by a
   * crash while it was written is skipped (its batch was never acknowledged); so is, with a warning, any
   * other line that is not a row.
   */
  int replay(int chunk, Consumer<List<RequestRecord>> sink) {
    synchronized (this) {
      if (!Files.exists(replaying) && Files.exists(file)) {
        try {
          Files.move(file, replaying, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot set the spend journal aside for replay: " + e.getMessage(), e);
        }
      }
    }
    if (!Files.exists(replaying)) {
      return 0;
    }
    int count = 0;
    List<RequestRecord> rows = new ArrayList<>(chunk);
    try (BufferedReader reader = Files.newBufferedReader(replaying, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          rows.add(RowCodec.read(line));
        } catch (IllegalArgumentException e) {
          LOG.warn("skipping line {} of the spend journal {}: {}", number, replaying, e.getMessage());
          continue;
        }
        if (rows.size() == chunk) {
          sink.accept(rows);
          count += rows.size();
          rows = new ArrayList<>(chunk);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spend journal " + replaying + ": " + e.getMessage(), e);
    }
    if (!rows.isEmpty()) {
      sink.accept(rows);
      count += rows.size();
    }
    try {
      Files.deleteIfExists(replaying);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the replayed spend journal " + replaying + ": " + e.getMessage(), e);
    }
    return count;
  }
}
