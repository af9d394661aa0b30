package org.medhub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.medhub.viewer.standalone.ViewerApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** OHIF's published build as served at {@code /viewer/}: paths, configuration, headers, access. */
@SpringBootTest(
        classes = ViewerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.database.data-directory=target/it-postgres/viewer-${random.uuid}",
            "medhub.security.issuer=https://login.example.org/realms/medhub",
            "medhub.viewer.dicomweb-root=/dicomweb"
        })
class ViewerIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void theEntryPageLoadsEverythingFromUnderViewerAndNothingFromElsewhere() {
        HttpResponse<String> page = get("/viewer/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("window.PUBLIC_URL=\"/viewer/\"", "src=\"/viewer/app-config.js\"");
        assertThat(page.body()).doesNotContain("https://", "src=\"/app", "href=\"/app", "init-service-worker");
        Matcher bundle = Pattern.compile("src=\"(/viewer/app\\.bundle\\.[0-9a-f]+\\.js)\"").matcher(page.body());
        assertThat(bundle.find()).as("the main bundle is referenced").isTrue();
        HttpResponse<String> script = get(bundle.group(1));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).as("webpack loads its chunks from /viewer/").contains("__webpack_require__.p = \"/viewer/\";");
        assertThat(get("/viewer/app.bundle.css").body()).doesNotContainPattern("url\\(/(?!viewer/)");
    }

    @Test
    void theViewerIsCrossOriginIsolatedAndServedWithoutAToken() {
        HttpResponse<String> page = get("/viewer/");

        assertThat(page.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
        assertThat(page.headers().firstValue("Cross-Origin-Embedder-Policy")).hasValue("require-corp");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void theViewerHasAContentSecurityPolicyThatLetsOhifRunButForbidsFramingByOtherSites() {
        HttpResponse<String> page = get("/viewer/");

        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "frame-ancestors 'self'", "object-src 'none'", "'wasm-unsafe-eval'",
                        "worker-src 'self' blob:", "connect-src 'self' data: blob: https://login.example.org;"));
        String scripts = page.headers().firstValue("Content-Security-Policy").orElseThrow().replaceAll(".*script-src ([^;]*);.*", "$1");
        assertThat(scripts).as("OHIF's two inline start-up scripts by hash, not any inline script")
                .containsPattern("^'self' 'sha256-[A-Za-z0-9+/=]{44}' 'sha256-[A-Za-z0-9+/=]{44}' ")
                .doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");
        assertThat(get("/dicomweb/studies").headers().firstValue("Content-Security-Policy"))
                .as("elsewhere the platform's stricter default").hasValueSatisfying(csp -> assertThat(csp)
                        .contains("frame-ancestors 'self'", "script-src 'self';").doesNotContain("unsafe-eval"));
    }

    @Test
    void theConfigurationPointsOhifAtDicomwebAndTheIssuerWithPkce() {
        HttpResponse<String> config = get("/viewer/app-config.js");

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(config.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(config.body()).startsWith("window.config = {")
                .contains("\"routerBasename\" : \"/viewer\"")
                .contains("\"qidoRoot\" : \"/dicomweb\"", "\"wadoRoot\" : \"/dicomweb\"", "\"imageRendering\" : \"wadors\"")
                .contains("\"authority\" : \"https://login.example.org/realms/medhub\"")
                .contains("\"client_id\" : \"medhub-web\"", "\"response_type\" : \"code\"")
                // "/" would put OHIF's sign-out callback on its study route (/viewer/viewer?StudyInstanceUIDs=).
                .contains("\"post_logout_redirect_uri\" : \"/signed-out\"");
    }

    @Test
    void clientRoutesGetTheEntryPageButMissingFilesStayMissing() {
        HttpResponse<String> route = get("/viewer/viewer?StudyInstanceUIDs=1.2.3");
        HttpResponse<String> callback = get("/viewer/callback?code=x&state=y");
        HttpResponse<String> missingFile = get("/viewer/no-such-chunk.js");

        assertThat(route.statusCode()).isEqualTo(200);
        assertThat(route.body()).contains("window.PUBLIC_URL=\"/viewer/\"");
        assertThat(callback.statusCode()).isEqualTo(200);
        assertThat(missingFile.statusCode()).isEqualTo(404);
    }

    @Test
    void theBarePathRedirectsToTheViewerRoot() {
        HttpResponse<String> bare = get("/viewer");

        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/viewer/"));
    }

    @Test
    void aSignedOutUserReturnsToTheStudyList() {
        HttpResponse<String> signedOut = get("/viewer/signed-out?state=x");

        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/viewer/"));
    }

    @Test
    void theViewerDoesNotOpenOtherPathsToAnonymousCallers() {
        assertThat(get("/dicomweb/studies").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                    BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
