package dev.baton.langchain4j;

import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.BadRequestException;
import dev.baton.BatonException;
import dev.baton.ConnectionFailedException;
import dev.baton.ContentPolicyException;
import dev.baton.ContextWindowExceededException;
import dev.baton.InvalidRequestException;
import dev.baton.NoDeploymentAvailableException;
import dev.baton.NotFoundException;
import dev.baton.QuotaExceededException;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.UnknownModelException;
import dev.baton.UnreadableResponseException;
import dev.baton.UnsupportedRequestException;
import dev.baton.UpstreamTimeoutException;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import java.util.List;

/**
 * Baton's failures as LangChain4j's exception types, chosen as LangChain4j chooses them for an HTTP
 * status: the kind of the last failure when every model failed. The {@link BatonException} stays the
 * cause, with its message naming each model tried and its {@link BatonException#attempts()}.
 */
final class Errors {

  private Errors() {}

  static RuntimeException toLangChain4j(BatonException e) {
    BatonException kind = e instanceof AllModelsFailedException all ? all.lastFailure() : e;
    String message = e.getMessage();
    return switch (kind) {
      case RateLimitedException ignored -> new RateLimitException(message, e);
      case QuotaExceededException ignored -> new RateLimitException(message, e);
      case ServerErrorException ignored -> new InternalServerException(message, e);
      case UnreadableResponseException ignored -> new InternalServerException(message, e);
      case UpstreamTimeoutException ignored -> new TimeoutException(message, e);
      case dev.baton.AuthenticationException ignored -> new AuthenticationException(message, e);
      case NotFoundException ignored -> new ModelNotFoundException(message, e);
      case UnknownModelException ignored -> new ModelNotFoundException(message, e);
      case ContentPolicyException ignored -> new ContentFilteredException(message, e);
      case ContextWindowExceededException ignored ->
          new dev.langchain4j.exception.InvalidRequestException(message, e);
      case BadRequestException ignored -> new dev.langchain4j.exception.InvalidRequestException(message, e);
      case InvalidRequestException ignored -> new dev.langchain4j.exception.InvalidRequestException(message, e);
      case UnsupportedRequestException ignored -> unsupported(message, e);
      case NoDeploymentAvailableException n ->
          n.status() == 429 ? new RateLimitException(message, e) : new InternalServerException(message, e);
      case ConnectionFailedException ignored -> new RetriableException(message, e);
      // Configuration problems, and any kind added to the family later.
      default -> new LangChain4jException(message, e);
    };
  }

  private static RuntimeException unsupported(String message, BatonException cause) {
    UnsupportedFeatureException e = new UnsupportedFeatureException(message);
    e.initCause(cause);
    return e;
  }

  /** The attempts of the Baton failure somewhere in this throwable's causes, or null. */
  static List<Attempt> attempts(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BatonException baton) {
        return baton.attempts();
      }
    }
    return null;
  }
}
