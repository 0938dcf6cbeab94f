package dev.baton.spring;

import org.springframework.core.convert.converter.Converter;

/** Binds a {@code provider/model} string, such as {@code openai/gpt-4o}, as a whole {@code baton.models} entry. */
class ModelConverter implements Converter<String, BatonProperties.Model> {

  @Override
  public BatonProperties.Model convert(String source) {
    return BatonProperties.Model.of(source);
  }
}
