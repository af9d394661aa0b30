package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.HeadlessChromium;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole path a clinician takes: a CT image stored through STOW-RS, then opened in OHIF in
 * headless Chromium after signing in through Keycloak, and actually drawn: the pixels of OHIF's
 * viewport canvas are read back, not just the page checked.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "medhub.data-directory=target/it-data/viewer-${random.uuid}")
class ViewerShowsStoredStudyIT {

    /** A 128×128 CT slice from Debian's python3-pydicom test corpus, and its study. */
    private static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    private static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    /** Software WebGL on a shared machine: OHIF took 45 s from sign-in to the first image under load. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** A blank or single-colour viewport has a handful of gray levels; this CT slice fills the range. */
    private static final int DRAWN_GRAY_LEVELS = 32;

    /**
     * The most gray levels on any of OHIF's viewport canvases. Cornerstone copies each rendered
     * frame onto a 2D canvas, so its pixels can be read back (same origin: not tainted).
     */
    private static final String VIEWPORT_GRAY_LEVELS = """
            let most = 0;
            for (const canvas of document.querySelectorAll('canvas.cornerstone-canvas')) {
              const context = canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
              if (!context) continue;
              const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
              const levels = new Set();
              for (let i = 0; i < rgba.length; i += 4) levels.add(Math.round((rgba[i] + rgba[i + 1] + rgba[i + 2]) / 3));
              most = Math.max(most, levels.size);
            }
            return most;
            """;

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
        HttpResponse<String> stored = Stow.stow(origin, keycloak.token("clinician"), Files.readAllBytes(CT));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(stored.body()).contains(CT_STUDY);
        keycloak.allowBrowserOrigin(origin);
        browser = HeadlessChromium.start();

        browser.get(origin + "/viewer/viewer?StudyInstanceUIDs=" + CT_STUDY);
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.withMessage(() -> "the image was not drawn; browser console:\n" + String.join("\n", HeadlessChromium.consoleLog(browser)));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("clinician");
        browser.findElement(By.id("password")).sendKeys("clinician");
        browser.findElement(By.id("kc-login")).click();

        long grayLevels = wait.until(driver -> {
            long levels = (Long) ((JavascriptExecutor) driver).executeScript(VIEWPORT_GRAY_LEVELS);
            return levels > DRAWN_GRAY_LEVELS ? levels : null;
        });
        assertThat(browser.getCurrentUrl()).as("OHIF kept the study route after sign-in")
                .isEqualTo(origin + "/viewer/viewer?StudyInstanceUIDs=" + CT_STUDY);
        assertThat(grayLevels).as("gray levels in the viewport").isGreaterThan(DRAWN_GRAY_LEVELS);
        List<String> console = HeadlessChromium.consoleLog(browser);
        assertThat(console).as("requests the viewer could not load").noneMatch(line -> line.contains("Failed to load resource"));
        assertThat(console).as("what the Content-Security-Policy refused").noneMatch(line -> line.contains("Content Security Policy"));
    }
}
