package org.medhub.ml.cohort;

import java.net.URI;
import java.util.function.Supplier;

/**
 * The FHIR server cohorts are read from and the bearer token to read it with: the ML engine's own
 * service identity, never the requesting user's token (a researcher may not read identified data).
 */
public record FhirSource(URI baseUrl, Supplier<String> bearerToken) {}
