package org.medhub.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;

/** STOW-RS of one PS3.10 object to the all-in-one server, as a PACS would send it. */
final class Stow {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Stow() {}

    static HttpResponse<String> stow(String origin, String token, byte[] instance) throws IOException, InterruptedException {
        String boundary = "medhub-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(instance);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/dicomweb/studies"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                        .header("Accept", "application/dicom+json")
                        .POST(BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/dicom+json").GET().build(), BodyHandlers.ofString());
    }
}
