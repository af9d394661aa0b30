package org.medhub.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.HeadlessChromium;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole path a clinician takes: a CT image stored through STOW-RS, then opened in OHIF in
 * headless Chromium after signing in through Keycloak, and actually drawn: the viewport's pixels
 * are checked, not just the page.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "medhub.data-directory=target/it-data/viewer-${random.uuid}")
class ViewerShowsStoredStudyIT {

    /** A 128×128 CT slice from Debian's python3-pydicom test corpus. */
    private static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    WebDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aStudyStoredByStowIsDrawnInOhifForASignedInClinician(KeycloakTestServer keycloak) throws Exception {
        String origin = "http://localhost:" + port;
        String token = keycloak.token("clinician");
        assertThat(stow(origin, token, Files.readAllBytes(CT)).statusCode()).isEqualTo(200);
        String study = studyUid(origin, token);
        keycloak.allowBrowserOrigin(origin);
        browser = HeadlessChromium.start();

        browser.get(origin + "/viewer/viewer?StudyInstanceUIDs=" + study);
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("clinician");
        browser.findElement(By.id("password")).sendKeys("clinician");
        browser.findElement(By.id("kc-login")).click();

        BufferedImage drawn = wait.until(driver -> drawnViewport(driver).orElse(null));
        assertThat(distinctGrays(drawn)).as("gray levels in the viewport").isGreaterThan(32);
    }

    /** A screenshot of the first viewport once it shows an image: many gray levels, not a blank canvas. */
    private static Optional<BufferedImage> drawnViewport(WebDriver driver) {
        return driver.findElements(By.cssSelector("canvas.cornerstone-canvas")).stream()
                .filter(WebElement::isDisplayed)
                .findFirst()
                .map(canvas -> screenshot(canvas))
                .filter(image -> distinctGrays(image) > 32);
    }

    private static BufferedImage screenshot(WebElement element) {
        try {
            return ImageIO.read(new ByteArrayInputStream(element.getScreenshotAs(OutputType.BYTES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long distinctGrays(BufferedImage image) {
        boolean[] seen = new boolean[256];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                seen[((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3] = true;
            }
        }
        long count = 0;
        for (boolean level : seen) {
            count += level ? 1 : 0;
        }
        return count;
    }

    private static HttpResponse<String> stow(String origin, String token, byte[] instance) throws Exception {
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

    private static String studyUid(String origin, String token) throws Exception {
        HttpResponse<String> found = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/dicomweb/studies"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/dicom+json")
                        .GET()
                        .build(),
                BodyHandlers.ofString());
        assertThat(found.statusCode()).isEqualTo(200);
        JsonNode studies = new ObjectMapper().readTree(found.body());
        assertThat(studies).hasSize(1);
        return studies.get(0).path("0020000D").path("Value").get(0).asText();
    }
}
