/**
 * Vertex AI: Google Cloud's models and its partners' (Anthropic, Mistral AI, Meta, ...) behind one OAuth
 * token, fetched with a service-account key and the JDK's own RSA signatures.
 */
@NullMarked
package dev.baton.provider.vertex;

import org.jspecify.annotations.NullMarked;
