package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.dicomweb.deid.Pseudonyms;
import org.medhub.platform.testing.HeadlessChromium;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * OHIF's study list on what PACS really send: Debian's whole pydicom corpus stored through STOW-RS
 * (the files MedHub accepts), among them studies whose instances name no Modality, so that QIDO-RS
 * answers ModalitiesInStudy empty (legal DICOM JSON, which OHIF 3.13 did not survive). Each reading
 * role signs in and sees the list with no error; the researcher sees pseudonyms and searches by them
 * in OHIF's filter, and the real name finds nothing (not an error). Screenshots land in
 * {@code target/screenshots/}.
 */
@ExtendWith(KeycloakExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "medhub.data-directory=target/it-data/viewer-list-${random.uuid}",
            "medhub.deid.enabled=true",
            "medhub.deid.secret=" + ViewerStudyListIT.SECRET,
            "medhub.deid.profiles-directory=../config/deid"
        })
class ViewerStudyListIT {

    static final String SECRET = "viewer-study-list-test-secret-of-32-characters";
    private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    /** CT_small's patient: PatientID 1CT1 without issuer, name CompressedSamples^CT1. */
    private static final String CT_PATIENT_ID = "1CT1";
    private static final String CT_FAMILY_NAME = "CompressedSamples";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    /** OHIF's study table: the rows of its body that are not the filter row. */
    private static final By STUDY_ROWS = By.cssSelector("tbody tr:not([data-filter-row])");
    private static final By PATIENT_FILTER = By.cssSelector("tr[data-filter-row] td:nth-child(1) input");
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    WebDriver browser;
    private String origin;
    private int studies;

    @BeforeAll
    void storeTheCorpus(KeycloakTestServer keycloak) throws IOException, InterruptedException {
        origin = "http://localhost:" + port;
        String token = keycloak.token("clinician");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int stored = 0;
        for (Path file : files) {
            HttpResponse<String> response = Stow.stow(origin, token, Files.readAllBytes(file));
            assertThat(response.statusCode()).as(file + ": " + response.body()).isIn(200, 202, 409);
            stored += response.statusCode() == 409 ? 0 : 1;
        }
        assertThat(stored).as("corpus files MedHub accepts").isGreaterThan(30);
        JsonNode list = JSON.readTree(Stow.get(origin + "/dicomweb/studies?limit=1000", token).body());
        studies = list.size();
        long withoutModality = StreamSupport.stream(list.spliterator(), false)
                .filter(study -> !study.path("00080061").has("Value")).count();
        assertThat(withoutModality).as("studies QIDO-RS answers with an empty ModalitiesInStudy").isGreaterThan(0);
        keycloak.allowBrowserOrigin(origin);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    @Test
    void aClinicianSeesTheWholeCorpusInTheStudyList() throws IOException {
        signInToStudyList("clinician");
        assertListShowsStudiesWithoutError("clinician");
        assertThat(pageText()).contains(CT_FAMILY_NAME);
    }

    @Test
    void aViewerSeesTheWholeCorpusInTheStudyList() throws IOException {
        signInToStudyList("viewer");
        assertListShowsStudiesWithoutError("viewer");
    }

    @Test
    void aResearcherSeesPseudonymsAndSearchesByThemAndTheRealNameFindsNothing() throws IOException {
        signInToStudyList("researcher");
        assertListShowsStudiesWithoutError("researcher");
        String pseudonym = new Pseudonyms(SECRET, "research").patientId("id:" + CT_PATIENT_ID + "^");
        assertThat(pageText()).doesNotContain(CT_FAMILY_NAME);

        // OHIF sends PatientName=*text* with fuzzy matching; the list cell may be cut short, so a part is looked for.
        String part = pseudonym.substring(5, 13);
        int before = rows().size();
        try {
            filterPatients(part.toLowerCase(java.util.Locale.ROOT));
            WebDriverWait wait = waiting();
            wait.until(driver -> rows().size() < before && !rows().isEmpty()
                    && rows().stream().allMatch(row -> row.getText().contains(part)));
            screenshot("researcher-search-by-pseudonym");
            assertNoError();

            filterPatients(CT_FAMILY_NAME);
            wait.until(driver -> pageText().contains("No studies available"));
            screenshot("researcher-search-by-real-name");
            assertNoError();
        } finally {
            screenshot("researcher-search-last");
        }
    }

    private void signInToStudyList(String user) {
        browser = HeadlessChromium.start();
        browser.get(origin + "/viewer/");
        WebDriverWait wait = waiting();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        browser.findElement(By.id("kc-login")).click();
        wait.until(driver -> pageText().contains("Data Source Connection Error") || rows().size() > 1);
    }

    private void assertListShowsStudiesWithoutError(String user) throws IOException {
        screenshot("study-list-" + user);
        assertNoError();
        assertThat(rows()).as("rows of the study list (" + studies + " studies stored)").hasSizeGreaterThanOrEqualTo(Math.min(studies, 10));
    }

    private void filterPatients(String text) {
        WebElement filter = browser.findElement(PATIENT_FILTER);
        filter.clear();
        filter.sendKeys(text);
    }

    private void assertNoError() {
        assertThat(pageText()).doesNotContain("Data Source Connection Error", "request failed", "Cannot read properties");
    }

    private List<WebElement> rows() {
        return browser.findElements(STUDY_ROWS);
    }

    private String pageText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.withMessage(() -> "browser console:\n" + String.join("\n", HeadlessChromium.consoleLog(browser)));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
