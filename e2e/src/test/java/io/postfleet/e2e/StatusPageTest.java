package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The miner's live status page in a real browser: Debian's headless Chromium, driven through Debian's chromedriver
 * by Selenium (no browser download). A fleet proves; the page, opened once, shows a deadline reach "submitted" and
 * the workers listed, updates without a reload, loads nothing from outside the miner, and is saved as a
 * screenshot ({@code e2e/target/status-page.png}). Without Chromium the test is skipped, unless
 * {@code POSTFLEET_REQUIRE_BROWSER=true} (CI installs it).
 */
class StatusPageTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    static void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("POSTFLEET_REQUIRE_BROWSER"))) {
            throw new AssertionError(CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium "
                    + "chromium-driver), and POSTFLEET_REQUIRE_BROWSER=true");
        }
        Assumptions.assumeTrue(present, "no Chromium here: apt-get install chromium chromium-driver");
    }

    /** Headless Chromium that can reach nothing but loopback: every other address goes to a closed local port. */
    static ChromeDriver browser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1000", "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
                "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void theStatusPageShowsADeadlineSubmittedAndTheWorkers() throws Exception {
        requireBrowser();
        try (MinerFleet fleet = new MinerFleet("status-page", 8)) {
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ofMillis(400));
            fleet.worker(PostKind.WINDOW, "window-2", Duration.ofMillis(400));
            fleet.worker(PostKind.WINNING, "winning-1", Duration.ZERO);
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200);
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 2);
            app.start();
            String base = "http://127.0.0.1:" + app.apiPort();
            ChromeDriver browser = browser(dir.resolve("profile"));
            try {
                browser.get(base + "/status");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(StaleElementReferenceException.class);
                String banner = wait.until(d -> (String) ((JavascriptExecutor) d).executeScript(
                        "const b = document.getElementById('banner');"
                                + "return b !== null && b.offsetParent !== null ? b.innerText : null;"));
                assertTrue(banner.startsWith("the miner refused: no token"), banner);

                browser.get(base + "/status?every=300&token=" + app.apiToken(ApiPermission.READ));
                wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                wait.ignoring(StaleElementReferenceException.class);
                wait.until(d -> !d.findElements(By.cssSelector("#deadlines tr[data-state='submitted']")).isEmpty());
                // The page re-renders its tables on every poll, so each read takes the DOM in one script call
                // (an element found in one call may be replaced before the next).
                String firstEpoch = text(browser, "#epoch");
                wait.until(d -> d.findElements(By.cssSelector("#workers tr[data-liveness='live']")).size() == 3);
                @SuppressWarnings("unchecked")
                List<String> workers = ((List<String>) ((JavascriptExecutor) browser).executeScript(
                        "return Array.from(document.querySelectorAll('#workers tr[data-worker]'))"
                                + ".map(e => e.getAttribute('data-worker'));")).stream().sorted().toList();
                assertEquals(List.of("window-1", "window-2", "winning-1"), workers);
                assertEquals(Boolean.TRUE, ((JavascriptExecutor) browser).executeScript(
                        "const c = document.querySelector(\".cell[data-state='submitted']\");"
                                + "return c !== null && c.offsetParent !== null;"));
                String partitions = text(browser, "#partitions");
                assertTrue(partitions.contains("window-1") || partitions.contains("window-2"), partitions);
                assertTrue(text(browser, "#events").contains("submitted"));
                // it updates by itself: the chain moves on without a reload
                wait.until(d -> !text(d, "#epoch").equals(firstEpoch));
                @SuppressWarnings("unchecked")
                List<String> resources = (List<String>) ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByType('resource').map(e => e.name)"
                                + ".concat([location.href]);");
                for (String url : resources) {
                    assertTrue(url.startsWith(base + "/"), "only the miner's own URLs are loaded: " + url);
                }
                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Path saved = Path.of("target", "status-page.png");
                Files.createDirectories(saved.getParent());
                Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(Files.size(saved) > 10_000, "a screenshot of the page: " + Files.size(saved) + " bytes");
            } finally {
                browser.quit();
            }
        }
    }

    /** The text of the element {@code selector} names, read in one script call. */
    private static String text(WebDriver browser, String selector) {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector(arguments[0]); return e === null ? '' : e.innerText;", selector);
        return String.valueOf(text);
    }
}
