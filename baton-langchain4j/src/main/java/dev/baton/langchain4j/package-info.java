/**
 * LangChain4j's models over Baton's router: {@link dev.baton.langchain4j.BatonChatModel},
 * {@link dev.baton.langchain4j.BatonStreamingChatModel} and {@link dev.baton.langchain4j.BatonEmbeddingModel}.
 * Give an {@code AiServices} interface one of them and every call is answered by the first model that can.
 */
package dev.baton.langchain4j;
