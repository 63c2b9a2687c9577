package io.healthcarebackend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium and ChromeDriver, headless, for the dashboards' browser tests
 * (scripts/ensure-services.sh installs them). Missing browsers fail the test with what to do;
 * they are never downloaded.
 */
public final class HeadlessChromium {

    public static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** A new browser whose console log the test can read. */
    public static WebDriver start() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("The browser tests need Chromium and its driver at %s and %s. Install them (Debian: apt-get install "
                    + "chromium chromium-driver; scripts/ensure-services.sh does this when run as root) or point "
                    + "CHROMIUM_BINARY and CHROMEDRIVER at them.", CHROMIUM, CHROMEDRIVER);
        }
        // Both paths explicit, so Selenium Manager never tries to download a browser or a driver.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-dev-shm-usage", "--window-size=1400,1000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(CHROMEDRIVER)
                .toFile()).build(), options);
    }

    /**
     * The browser of a test class (one {@link #start()} for all its tests) as a new browser would
     * be for the next test: a new tab, every other tab closed (their pages, streams and session
     * storage gone: session storage belongs to a tab), cookies, cache and the origin's stored data
     * (local storage, IndexedDB, service workers) cleared, and the console log read so the test
     * sees only its own entries. Starting Chromium for every test cost about a second each, several
     * under load.
     */
    public static WebDriver freshTab(WebDriver browser, String origin) {
        Set<String> before = browser.getWindowHandles();
        browser.switchTo().newWindow(WindowType.TAB);
        String tab = browser.getWindowHandle();
        for (String old : before) {
            browser.switchTo().window(old);
            browser.close();
        }
        browser.switchTo().window(tab);
        ChromeDriver chrome = (ChromeDriver) browser;
        chrome.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        chrome.executeCdpCommand("Network.clearBrowserCache", Map.of());
        chrome.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", origin, "storageTypes", "all"));
        browser.manage().logs().get(LogType.BROWSER);
        return browser;
    }

    public static boolean visible(WebDriver browser, String id) {
        List<WebElement> found = browser.findElements(By.id(id));
        return !found.isEmpty() && found.getFirst().isDisplayed();
    }

    public static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    public static void waitFor(WebDriver browser, Duration timeout, BooleanSupplier condition) {
        // Lists are re-rendered as data arrives: an element read mid-render is simply read again.
        new WebDriverWait(browser, timeout, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    /** Two tabs of one browser holding the same sign-in tokens, and the refresh token they both hold. */
    public record TwinTabs(String first, String second, String refreshToken) {
    }

    /**
     * Opens {@code url} again in a new tab holding a copy of this tab's sign-in tokens (the page's
     * sessionStorage entry {@code key}), as a duplicated tab does, waits until it shows the element
     * {@code shown}, and spoils the access token in both tabs: the next call of each is answered
     * 401 and renews with the same refresh token. Leaves the browser in the first tab.
     */
    public static TwinTabs twinTabsWithExpiredAccess(WebDriver browser, String url, String key, String shown) {
        String first = browser.getWindowHandle();
        String tokens = (String) js(browser).executeScript("return sessionStorage.getItem(arguments[0])", key);
        browser.switchTo().newWindow(WindowType.TAB);
        String second = browser.getWindowHandle();
        browser.get(url);
        js(browser).executeScript("sessionStorage.setItem(arguments[0], arguments[1])", key, tokens);
        browser.navigate().refresh();
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, shown));
        String refresh = refreshToken(browser, key);
        spoilAccessToken(browser, key);
        browser.switchTo().window(first);
        spoilAccessToken(browser, key);
        return new TwinTabs(first, second, refresh);
    }

    /** The refresh token the page in the current tab holds under {@code key}. */
    public static String refreshToken(WebDriver browser, String key) {
        return (String) js(browser).executeScript("return JSON.parse(sessionStorage.getItem(arguments[0])).refresh", key);
    }

    /** Replaces the page's access token with one the service refuses: its next call is answered 401. */
    public static void spoilAccessToken(WebDriver browser, String key) {
        js(browser).executeScript("const t = JSON.parse(sessionStorage.getItem(arguments[0])); t.access = 'not-a-token';"
                + "sessionStorage.setItem(arguments[0], JSON.stringify(t));", key);
    }

    private static JavascriptExecutor js(WebDriver browser) {
        return (JavascriptExecutor) browser;
    }

    public static void assertNoContentSecurityPolicyViolation(WebDriver browser) {
        List<LogEntry> entries = browser.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(entries).noneMatch(e -> e.getMessage().contains("Content Security Policy"));
    }
}
