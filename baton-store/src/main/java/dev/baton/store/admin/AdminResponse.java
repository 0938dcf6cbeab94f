package dev.baton.store.admin;

/**
 * The answer to an {@code /admin} request: a status and a JSON body ({@code application/json}). Errors have
 * the OpenAI shape {@code {"error": {"message", "type", "param", "code"}}}.
 */
public record AdminResponse(int status, String body) {}
