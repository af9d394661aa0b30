package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medhub.platform.testing.HeadlessChromium;
import org.medhub.platform.testing.KeycloakExtension;
import org.medhub.platform.testing.KeycloakTestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
 * Swagger UI for signed-in users: the page and the OpenAPI descriptions load without a token, the
 * description declares Keycloak's authorization-code flow, the API itself still answers 401 without
 * one, and in headless Chromium a researcher signs in from the page's "Authorize" dialog (Keycloak,
 * PKCE, client medhub-web) and runs one call with "Try it out". The screenshot lands in
 * {@code target/screenshots/}.
 */
@ExtendWith(KeycloakExtension.class)
@SpringBootTest(
        classes = MedHubApplication.class,
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "medhub.data-directory=target/it-data/openapi-${random.uuid}")
class OpenApiBrowserIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    WebDriver browser;
    private String origin;

    @BeforeEach
    void openBrowser(KeycloakTestServer keycloak) {
        origin = "http://localhost:" + port;
        keycloak.allowBrowserOrigin(origin);
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            screenshot("openapi-at-end"); // what the page showed when the test ended, passed or not
            browser.quit();
        }
    }

    @Test
    void thePageAndTheDescriptionArePublicAndDeclareKeycloaksSignInWhileTheApiStaysProtected(KeycloakTestServer keycloak)
            throws IOException, InterruptedException {
        HttpResponse<String> page = get("/swagger-ui/index.html");
        HttpResponse<String> description = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/v3/api-docs/ml"))
                .header("X-Forwarded-Host", "attacker.example").GET().build(), BodyHandlers.ofString());
        HttpResponse<String> api = get("/ml/api/models");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(description.statusCode()).as(description.body()).isEqualTo(200);
        JsonNode openApi = new ObjectMapper().readTree(description.body());
        JsonNode flow = openApi.at("/components/securitySchemes/keycloak/flows/authorizationCode");
        assertThat(flow.path("authorizationUrl").asText()).isEqualTo(keycloak.issuer() + "/protocol/openid-connect/auth");
        assertThat(flow.path("tokenUrl").asText()).isEqualTo(keycloak.issuer() + "/protocol/openid-connect/token");
        assertThat(openApi.at("/security/0").has("keycloak")).isTrue();
        assertThat(openApi.at("/servers/0/url").asText())
                .as("the public base URL, not the request's headers").isEqualTo(origin);
        assertThat(api.statusCode()).isEqualTo(401);
    }

    @Test
    void aResearcherSignsInFromSwaggerUiAndTriesOutAnAuthorisedCall() throws IOException {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        browser.get(origin + "/swagger-ui/index.html");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.authorize"))).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container")));
        assertThat(dialog.findElement(By.id("client_id_authorizationCode")).getAttribute("value")).isEqualTo("medhub-web");
        dialog.findElements(By.cssSelector("input[type=checkbox]")).forEach(scope -> {
            if (!scope.isSelected()) {
                scope.findElement(By.xpath("..")).click();
            }
        });
        String page = browser.getWindowHandle();
        dialog.findElement(By.cssSelector(".auth-btn-wrapper button.authorize")).click();

        // Swagger UI signs in in a pop-up window: Keycloak's form, then its redirect page, which closes itself.
        wait.until(driver -> driver.getWindowHandles().size() > 1);
        Set<String> windows = browser.getWindowHandles();
        windows.stream().filter(handle -> !handle.equals(page)).findFirst().ifPresent(popup -> browser.switchTo().window(popup));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertThat(browser.getCurrentUrl()).contains("client_id=medhub-web", "code_challenge_method=S256");
        browser.findElement(By.id("username")).sendKeys("researcher");
        browser.findElement(By.id("password")).sendKeys("researcher");
        browser.findElement(By.id("kc-login")).click();
        wait.until(driver -> driver.getWindowHandles().size() == 1);
        browser.switchTo().window(page);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".auth-container button[aria-label='Remove authorization']")));
        browser.findElement(By.cssSelector(".auth-container button.btn-done")).click();

        WebElement listModels = wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//div[contains(@class,'opblock-get')][.//*[@data-path='/ml/api/models']]")));
        listModels.findElement(By.cssSelector(".opblock-summary")).click();
        wait.until(ExpectedConditions.elementToBeClickable(listModels.findElement(By.cssSelector("button.try-out__btn")))).click();
        wait.until(ExpectedConditions.elementToBeClickable(listModels.findElement(By.cssSelector("button.execute")))).click();
        WebElement status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(listModels,
                By.cssSelector(".live-responses-table .response .response-col_status"))).getFirst();
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", status);
        screenshot("openapi-try-it-out");

        assertThat(status.getText().strip()).startsWith("200");
        assertThat(listModels.findElement(By.cssSelector(".curl-command")).getText()).contains("Authorization: Bearer ");
        assertThat(HeadlessChromium.consoleLog(browser)).as("what the Content-Security-Policy refused")
                .noneMatch(line -> line.contains("Content Security Policy"));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(origin + path)).GET().build(), BodyHandlers.ofString());
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
