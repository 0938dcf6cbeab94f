package dev.baton.local.gguf;

import de.kherud.llama.InferenceParameters;
import java.lang.reflect.Field;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fields of llama.cpp's completion request that {@code de.kherud:llama} 4.2.0 has no setter for. Its
 * {@link InferenceParameters} is a map of field names to JSON text; {@code json_schema} is written into
 * it directly, so llama.cpp turns the schema into a grammar inside the request's own error handling. The
 * binding's public {@code LlamaModel.jsonSchemaToGrammar} is no way round this: a schema it cannot convert
 * throws a C++ exception through JNI, which ends the JVM.
 */
final class LlamaRequestFields {

  private static final @Nullable Field PARAMETERS = parameters();

  private LlamaRequestFields() {}

  private static @Nullable Field parameters() {
    try {
      Field field = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Sets a field to a JSON value.
   *
   * @return false when this version of the binding cannot take it
   */
  @SuppressWarnings("unchecked")
  static boolean put(InferenceParameters parameters, String name, String json) {
    if (PARAMETERS == null) {
      return false;
    }
    try {
      ((Map<String, String>) PARAMETERS.get(parameters)).put(name, json);
      return true;
    } catch (ReflectiveOperationException | ClassCastException e) {
      return false;
    }
  }
}
