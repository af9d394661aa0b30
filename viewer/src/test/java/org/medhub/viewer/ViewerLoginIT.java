package org.medhub.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.HeadlessChromium;
import org.medhub.platform.testing.KeycloakTestServer;
import org.medhub.viewer.standalone.ViewerApplication;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A clinician opens {@code /viewer/} in headless Chromium, is sent to Keycloak, signs in, and OHIF
 * comes back and searches for studies with the clinician's token. The DICOMweb side is a recorder
 * of QIDO requests here (the viewer runs alone); the full stack is tested in {@code app}.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = ViewerApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "medhub.database.data-directory=target/it-postgres/viewer-login-${random.uuid}")
@Import(ViewerLoginIT.QidoRecorder.class)
class ViewerLoginIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @LocalServerPort
    int port;

    WebDriver browser;

    @BeforeEach
    void openBrowser(KeycloakTestServer keycloak) {
        keycloak.allowBrowserOrigin("http://localhost:" + port);
        QidoRecorder.USERS.clear();
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aClinicianSignsInThroughKeycloakAndOhifSearchesStudiesWithTheirToken(KeycloakTestServer keycloak) {
        browser.get("http://localhost:" + port + "/viewer/");

        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth")
                .contains("client_id=medhub-web", "code_challenge_method=S256");
        browser.findElement(By.id("username")).sendKeys("clinician");
        browser.findElement(By.id("password")).sendKeys("clinician");
        browser.findElement(By.id("kc-login")).click();

        wait.until(driver -> !QidoRecorder.USERS.isEmpty());
        assertThat(browser.getCurrentUrl()).startsWith("http://localhost:" + port + "/viewer");
        assertThat(QidoRecorder.USERS).first().isEqualTo("clinician");
        assertThat(HeadlessChromium.consoleLog(browser)).as("what the Content-Security-Policy refused")
                .noneMatch(line -> line.contains("Content Security Policy"));
    }

    /** Stands in for /dicomweb's study search: records whose token OHIF sent, answers "no studies". */
    @TestConfiguration
    static class QidoRecorder {

        static final List<String> USERS = new CopyOnWriteArrayList<>();

        /** Registered as a member class of this configuration. */
        @RestController
        static class StudySearch {
            @GetMapping("/dicomweb/studies")
            ResponseEntity<String> studies(@AuthenticationPrincipal Jwt token) {
                USERS.add(token.getClaimAsString("preferred_username"));
                return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/dicom+json")).body("[]");
            }
        }
    }
}
