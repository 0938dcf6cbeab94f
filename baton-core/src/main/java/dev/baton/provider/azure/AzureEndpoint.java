package dev.baton.provider.azure;

import dev.baton.config.Secret;
import dev.baton.provider.openai.OpenAiProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI's layout: every operation under the deployment,
 * {@code {endpoint}/openai/deployments/{deployment}/{operation}?api-version={version}}, and the key in
 * an {@code api-key} header.
 *
 * @param base the resource endpoint, such as {@code https://my-resource.openai.azure.com}
 * @param deployment the deployment name, which is what Azure routes on (the body's {@code model} is
 *     ignored)
 * @param apiVersion the {@code api-version} query value
 * @param key the resource key
 */
record AzureEndpoint(URI base, String deployment, String apiVersion, Secret key) implements OpenAiProvider.Endpoint {

  @Override
  public URI uri(String operation) {
    String root = base.toString();
    // People paste the endpoint with "/openai" on the end; it is added here, so it is not doubled.
    if (root.endsWith("/openai")) {
      root = root.substring(0, root.length() - "/openai".length());
    }
    if (operation.equals("responses")) {
      return responses(root);
    }
    return URI.create(root + "/openai/deployments/" + encode(deployment) + "/" + operation
        + "?api-version=" + encode(apiVersion));
  }

  /**
   * Azure serves the Responses API outside the deployments, with the deployment named in the body's
   * {@code model}: under the v1 API ({@code /openai/v1/responses}), or, for a dated preview api-version
   * from 2025-03-01-preview on, at {@code /openai/responses?api-version=...}. The GA chat versions (such as
   * the default 2024-10-21) have no Responses API, so they get the v1 path.
   */
  private URI responses(String root) {
    if (apiVersion.endsWith("-preview") && apiVersion.compareTo("2025-03-01-preview") >= 0) {
      return URI.create(root + "/openai/responses?api-version=" + encode(apiVersion));
    }
    String query = apiVersion.equals("preview") ? "?api-version=preview" : "";
    return URI.create(root + "/openai/v1/responses" + query);
  }

  @Override
  public void authorize(HttpRequest.Builder request) {
    request.header("api-key", key.reveal());
  }

  @Override
  public String secret() {
    return key.reveal();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
