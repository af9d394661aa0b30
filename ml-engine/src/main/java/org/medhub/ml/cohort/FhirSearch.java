package org.medhub.ml.cohort;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;

/**
 * FHIR searches with paging ({@code Bundle.link[next]}), each page fetched with a fresh service token.
 * Next links are followed only when they stay on the configured base, so the token goes nowhere else.
 */
final class FhirSearch {

    static final int PAGE_SIZE = 500;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final HttpClient http;
    private final IParser parser;
    private final String base;
    private final Supplier<String> token;

    FhirSearch(HttpClient http, FhirContext fhir, URI base, Supplier<String> token) {
        this.http = http;
        this.parser = fhir.newJsonParser();
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = token;
    }

    /** A page of results and how many the whole search matches (-1 when the server does not say). */
    record Page(Bundle bundle, int total) {}

    /** Calls {@code onPage} for each page of {@code resourceType?parameters}, until the last or until it returns false. */
    void search(String resourceType, Map<String, String> parameters, PageHandler onPage) {
        String query = parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String url = base + "/" + resourceType + "?" + query + "&_count=" + PAGE_SIZE + "&_total=accurate";
        int total = -1;
        while (url != null) {
            Bundle bundle = get(url);
            if (bundle.hasTotal()) {
                total = bundle.getTotal();
            }
            if (!onPage.handle(new Page(bundle, total))) {
                return;
            }
            url = bundle.getLink(Bundle.LINK_NEXT) == null ? null : bundle.getLink(Bundle.LINK_NEXT).getUrl();
            if (url != null && !url.startsWith(base + "?") && !url.startsWith(base + "/")) {
                throw new FhirSearchException("the FHIR server's next link leaves " + base + ": " + url);
            }
        }
    }

    /** Handles one page; false stops the search (cancellation). */
    @FunctionalInterface
    interface PageHandler {
        boolean handle(Page page);
    }

    private Bundle get(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Accept", "application/fhir+json")
                .header("Authorization", "Bearer " + token.get())
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FhirSearchException("could not reach the FHIR server at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirSearchException("interrupted while reading from the FHIR server");
        }
        if (response.statusCode() != 200) {
            throw new FhirSearchException("the FHIR server answered " + response.statusCode() + " to "
                    + request.method() + " " + url.substring(base.length()) + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
        return parser.parseResource(Bundle.class, response.body());
    }

    /** The FHIR server could not be read. */
    static final class FhirSearchException extends RuntimeException {
        FhirSearchException(String message) {
            super(message);
        }
    }

    static void forEachResource(Bundle bundle, Consumer<org.hl7.fhir.r4.model.Resource> action) {
        bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                .forEach(e -> action.accept(e.getResource()));
    }
}
