package org.medhub.platform.testing;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's Chromium and chromedriver (packages {@code chromium}, {@code chromium-driver}, installed
 * by {@code ./medhub test}), headless. Paths are fixed so Selenium never tries to download a driver.
 * The page's console is recorded, including the resources that failed to load, so that a test can
 * say why a page did not do what it expected ({@link #consoleLog}).
 */
public final class HeadlessChromium {

    public static final String BROWSER = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    public static ChromeDriver start() {
        if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("Chromium is missing: apt-get install chromium chromium-driver (./medhub test does)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                // Software WebGL, so that OHIF's viewports render without a GPU.
                "--use-angle=swiftshader",
                "--enable-unsafe-swiftshader");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /**
     * The console messages logged since the last call (chromedriver hands each out once), one line
     * each: time, level, text. Failed requests appear as "Failed to load resource" with their status.
     */
    public static List<String> consoleLog(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(entry -> Instant.ofEpochMilli(entry.getTimestamp()) + " " + entry.getLevel() + " " + entry.getMessage())
                .toList();
    }
}
