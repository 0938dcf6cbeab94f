package dev.baton.testkit;

import java.util.Locale;

/**
 * Vertex AI's own bodies, where they differ from the publishers' APIs it serves: Gemini answers carrying
 * Vertex's extra fields, {@code predict} embeddings, and the errors Vertex's front writes in Google's
 * shape — for Claude, wrapped in a one-element array, as quoted in public issue threads
 * (cline/cline#651, Aider-AI/aider#1912, yym68686/uni-api#41). Claude's own answers and errors are
 * Anthropic's ({@link AnthropicFixtures}); Gemini's streams are the Gemini API's ({@link GeminiFixtures}).
 */
public final class VertexFixtures {

  private VertexFixtures() {}

  /** The path of a model's method under a project and location, such as {@code ...:rawPredict}. */
  public static String path(String project, String location, String publisher, String model, String method) {
    return "/v1/projects/" + project + "/locations/" + location + "/publishers/" + publisher + "/models/" + model
        + ":" + method;
  }

  /** A Gemini answer as Vertex AI writes it: the Gemini API's fields plus {@code createTime} and traffic type. */
  public static String geminiAnswer(String text) {
    return """
        {
          "candidates": [
            {
              "content": {"role": "model", "parts": [{"text": %s}]},
              "finishReason": "STOP",
              "avgLogprobs": -0.11726471185684204
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 11,
            "candidatesTokenCount": 7,
            "totalTokenCount": 18,
            "trafficType": "ON_DEMAND",
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 11}],
            "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]
          },
          "modelVersion": "gemini-2.5-flash",
          "createTime": "2026-12-04T10:15:30.123456Z",
          "responseId": "QkE3aKn1Nfa_-O4PiJyTqAE"
        }
        """.formatted(OpenAiFixtures.quote(text));
  }

  /** {@code predict} embeddings, one prediction per instance, each with its token count. */
  public static String predictions(float[]... vectors) {
    StringBuilder json = new StringBuilder("{\"predictions\":[");
    for (int i = 0; i < vectors.length; i++) {
      json.append(i == 0 ? "" : ",").append("{\"embeddings\":{\"statistics\":{\"truncated\":false,\"token_count\":4},")
          .append("\"values\":[");
      for (int j = 0; j < vectors[i].length; j++) {
        json.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%s", vectors[i][j]));
      }
      json.append("]}}");
    }
    return json.append("],\"metadata\":{\"billableCharacterCount\":24}}").toString();
  }

  /** A bearer token Vertex AI does not accept (expired, revoked, or never issued). */
  public static final String UNAUTHENTICATED = """
      {
        "error": {
          "code": 401,
          "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
          "status": "UNAUTHENTICATED",
          "details": [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              "reason": "ACCESS_TOKEN_TYPE_UNSUPPORTED",
              "metadata": {"service": "aiplatform.googleapis.com", "method": "google.cloud.aiplatform.v1.PredictionService.GenerateContent"}
            }
          ]
        }
      }
      """;

  /** The service account lacks {@code aiplatform.endpoints.predict} on the project. */
  public static final String PERMISSION_DENIED = """
      {
        "error": {
          "code": 403,
          "message": "Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/baton-project/locations/us-central1/publishers/google/models/gemini-2.5-flash' (or it may not exist).",
          "status": "PERMISSION_DENIED",
          "details": [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              "reason": "IAM_PERMISSION_DENIED",
              "domain": "aiplatform.googleapis.com",
              "metadata": {"permission": "aiplatform.endpoints.predict", "resource": "projects/baton-project/locations/us-central1/publishers/google/models/gemini-2.5-flash"}
            }
          ]
        }
      }
      """;

  /** A model id Vertex AI does not know. */
  public static final String NOT_FOUND = """
      {
        "error": {
          "code": 404,
          "message": "Publisher Model `projects/baton-project/locations/us-central1/publishers/google/models/gemini-9-ultra` was not found or your project does not have access to it. Please ensure you are using a valid model version.",
          "status": "NOT_FOUND"
        }
      }
      """;

  /** Gemini's shared capacity is exhausted (the Gemini on Vertex 429). */
  public static final String RESOURCE_EXHAUSTED = """
      {
        "error": {
          "code": 429,
          "message": "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.",
          "status": "RESOURCE_EXHAUSTED"
        }
      }
      """;

  /** Claude's quota on Vertex AI is used up: Google's shape in a one-element array (cline/cline#651). */
  public static final String CLAUDE_QUOTA_EXCEEDED = """
      [{
        "error": {
          "code": 429,
          "message": "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude-sonnet-4. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.",
          "status": "RESOURCE_EXHAUSTED"
        }
      }]
      """;

  /** The project may not use a partner model until it is enabled in Model Garden (yym68686/uni-api#41). */
  public static final String CLAUDE_NOT_ENABLED = """
      [{
        "error": {
          "code": 400,
          "message": "Project `baton-project` is not allowed to use Publisher Model `projects/baton-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514`",
          "status": "FAILED_PRECONDITION"
        }
      }]
      """;

  /** A prompt over the Gemini model's window, as Vertex AI words it. */
  public static final String GEMINI_TOKEN_LIMIT = """
      {
        "error": {
          "code": 400,
          "message": "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).",
          "status": "INVALID_ARGUMENT"
        }
      }
      """;

  /** A Vertex AI fault. */
  public static final String UNAVAILABLE = """
      {
        "error": {
          "code": 503,
          "message": "The service is currently unavailable.",
          "status": "UNAVAILABLE"
        }
      }
      """;
}
