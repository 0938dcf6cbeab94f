package dev.baton.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A JSON object kept as its bytes: read field by field, and changed by copying the fields it keeps. */
class RawObjectTest {

  private static RawObject of(String json) throws IOException {
    return RawObject.of(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsWhereEachTopLevelFieldLies() throws IOException {
    RawObject raw = of("{ \"model\" : \"a\", \"input\":[1, {\"x\":\"}\"}], \"n\":2 }");

    assertThat(raw.fields()).extracting(RawObject.Field::name).containsExactly("model", "input", "n");
    RawObject.Field input = raw.fields().get(1);
    assertThat(new String(raw.bytes(), input.valueStart(), input.end() - input.valueStart(), StandardCharsets.UTF_8))
        .isEqualTo("[1, {\"x\":\"}\"}]");
    assertThat(raw.value("model").textValue()).isEqualTo("a");
  }

  @Test
  void replacesDropsAndAppendsFieldsKeepingTheOthersAsWritten() throws IOException {
    RawObject raw = of("{\"model\":\"a\",\"previous_response_id\":\"resp_1\",\"input\":\"hi\",\"temperature\": 0.50}");
    Map<String, byte[]> changes = new LinkedHashMap<>();
    changes.put("input", json("[{\"role\":\"user\",\"content\":\"hi\"}]"));
    changes.put("previous_response_id", null);
    changes.put("store", json("false"));

    RawObject changed = raw.with(changes);

    assertThat(new String(changed.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"a\","
        + "\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\": 0.50,\"store\":false}");
    assertThat(changed.fields()).extracting(RawObject.Field::name).containsExactly("model", "input", "temperature", "store");
    assertThat(changed.value("input").get(0).get("content").textValue()).as("field positions of the new bytes")
        .isEqualTo("hi");
    assertThat(changed.value("temperature").doubleValue()).isEqualTo(0.5);
  }

  @Test
  void onlyOneJsonObjectIsARawObject() {
    assertThatThrownBy(() -> of("[1]")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> of("{} {}")).isInstanceOf(IOException.class);
  }
}
