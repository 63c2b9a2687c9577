package io.healthcarebackend.platform.jobs.dashboard;

import static io.healthcarebackend.support.HeadlessChromium.assertNoContentSecurityPolicyViolation;
import static io.healthcarebackend.support.HeadlessChromium.text;
import static io.healthcarebackend.support.HeadlessChromium.visible;
import static io.healthcarebackend.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.HeadlessChromium;
import io.healthcarebackend.support.WorkerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * /queue-dashboard as an operator uses it, in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; scripts/ensure-services.sh installs them): sign in, read the queue
 * summary, retry or discard a dead job from the summary or from db-scheduler-ui's own view — whose
 * calls only work because the page hands them the token. Missing browsers fail the test with
 * instructions rather than skipping it.
 */
@Import(DashboardTestJobs.class)
class QueueDashboardBrowserTest extends WorkerTest {

    private static final String TASK = DashboardTestJobs.TASK;
    private static final String TOKENS = "hb.queue-dashboard.tokens";

    @Autowired
    private JdbcClient jdbc;

    /** One Chromium for the class; each test gets a fresh tab of it (HeadlessChromium.freshTab). */
    private static WebDriver chromium;

    private ScheduledRows rows;
    private WebDriver browser;

    @BeforeAll
    static void startBrowser() {
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void quitBrowser() {
        if (chromium != null) {
            chromium.quit();
        }
    }

    @BeforeEach
    void openBrowser() {
        rows = new ScheduledRows(jdbc);
        rows.clear(TASK);
        browser = HeadlessChromium.freshTab(chromium, "http://127.0.0.1:" + port);
    }

    @Test
    void aPlatformAdministratorSeesTheQueuesAndRetriesADeadJobFromTheSummary() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        rows.failed(TASK, id("failed"), 2);
        rows.scheduled(TASK, id("scheduled"), Instant.now().plus(Duration.ofHours(1)));
        rows.running(TASK, id("running"));

        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);

        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-summary-view") && !count("dead").isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("/queue-dashboard/db-scheduler");
        assertThat(count("dead")).isEqualTo("1");
        assertThat(count("failed")).isEqualTo("1");
        assertThat(count("scheduled")).isEqualTo("1");
        assertThat(count("running")).isEqualTo("1");
        assertThat(count("due")).isEqualTo("0");
        WebElement deadRow = browser.findElement(deadJob(dead));
        assertThat(deadRow.getText()).contains(TASK, dead, "5");
        // db-scheduler-ui's own list below, loaded with the token the page handed its calls.
        waitFor(browser, Duration.ofSeconds(10), () -> browser.findElement(By.id("root")).getText().contains(TASK));

        click(deadRow.findElement(By.cssSelector("button.qd-retry")));

        waitFor(browser, Duration.ofSeconds(5), () -> text(browser, "qd-status").contains("Retrying " + TASK + " / " + dead));
        waitFor(browser, Duration.ofSeconds(20), () -> DashboardTestJobs.RAN.contains(dead) && rows.find(TASK, dead).isEmpty());
        waitFor(browser, Duration.ofSeconds(10), () -> count("dead").equals("0") && browser.findElements(deadJob(dead)).isEmpty());
        assertThat(visible(browser, "qd-dead-none")).isTrue();
        assertNoContentSecurityPolicyViolation(browser);
    }

    @Test
    void discardInTheSummaryAsksOnceMoreAndThenDeletesTheDeadJob() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> !browser.findElements(deadJob(dead)).isEmpty());

        click(browser.findElement(deadJob(dead)).findElement(By.cssSelector("button.qd-discard")));
        assertThat(browser.findElement(deadJob(dead)).findElement(By.cssSelector("button.qd-discard")).getText())
                .isEqualTo("Confirm discard");
        assertThat(rows.find(TASK, dead)).as("not before it is confirmed").isPresent();
        click(browser.findElement(deadJob(dead)).findElement(By.cssSelector("button.qd-discard")));

        waitFor(browser, Duration.ofSeconds(10), () -> rows.find(TASK, dead).isEmpty() && count("dead").equals("0"));
        assertThat(text(browser, "qd-status")).contains("Discarded " + TASK + " / " + dead);
        assertThat(DashboardTestJobs.RAN).doesNotContain(dead);
    }

    @Test
    void theSchedulerViewsRerunAndDeleteWorkOnDeadJobs() {
        String retried = id("dead");
        String discarded = id("dead");
        rows.dead(TASK, retried, 5);
        rows.dead(TASK, discarded, 6);
        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> count("dead").equals("2"));

        // The queue's page in the app: one row per execution, the dead ones under "Failed" with 31 Dec 9999.
        waitFor(browser, Duration.ofSeconds(10), () -> !appGroup().isEmpty());
        click(appGroup().getFirst());
        waitFor(browser, Duration.ofSeconds(10), () -> appRow(retried) != null && appRow(discarded) != null);
        assertThat(browser.getCurrentUrl()).endsWith("/queue-dashboard/db-scheduler/" + TASK);
        assertThat(appRow(retried).getText()).contains("Failed", "Dec 99");

        click(appRow(retried).findElement(By.xpath(".//button[normalize-space()='Rerun']")));
        waitFor(browser, Duration.ofSeconds(20), () -> DashboardTestJobs.RAN.contains(retried) && rows.find(TASK, retried).isEmpty());

        click(appRow(discarded).findElement(By.cssSelector("button[aria-label='Options']")));
        waitFor(browser, Duration.ofSeconds(5), () -> browser.findElements(By.xpath("//*[@role='menuitem'][normalize-space()"
                + "='Delete task']")).stream().anyMatch(WebElement::isDisplayed));
        click(browser.findElements(By.xpath("//*[@role='menuitem'][normalize-space()='Delete task']")).stream()
                .filter(WebElement::isDisplayed).findFirst().orElseThrow());
        waitFor(browser, Duration.ofSeconds(5), () -> !browser.findElements(By.xpath("//*[@role='alertdialog']"
                + "//button[normalize-space()='Delete']")).isEmpty());
        assertThat(browser.findElement(By.xpath("//*[@role='alertdialog']")).getText()).contains(discarded);
        click(browser.findElement(By.xpath("//*[@role='alertdialog']//button[normalize-space()='Delete']")));

        waitFor(browser, Duration.ofSeconds(10), () -> rows.find(TASK, discarded).isEmpty());
        assertThat(DashboardTestJobs.RAN).doesNotContain(discarded);
        // The summary follows the app's changes.
        waitFor(browser, Duration.ofSeconds(10), () -> count("dead").equals("0"));
        assertNoContentSecurityPolicyViolation(browser);
    }

    @Test
    void aReceptionistSignsInAndIsRefusedWithoutSeeingAnyQueue() {
        String dead = id("dead");
        rows.dead(TASK, dead, 5);
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");

        signIn(receptionist.email(), PASSWORD);

        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-denied-view"));
        assertThat(text(browser, "qd-denied-message")).contains("403");
        assertThat(visible(browser, "qd-summary-view")).isFalse();
        assertThat(browser.findElement(By.id("root")).isDisplayed()).isFalse();
        assertThat(browser.getPageSource()).doesNotContain(dead).doesNotContain(TASK);
    }

    @Test
    void aUserWithASecondFactorIsAskedForTheCodeAndSignsInWithIt() {
        // Any role will do to show the sign-in: only the one (shared) platform administrator could
        // pass the role check, and enrolling it would change every other test's sign-in.
        User officer = newClinic().user("COMPLIANCE_OFFICER");
        Api.Response started = api.post("/api/v1/auth/mfa/enrollment", officer.token(), Map.of("password", PASSWORD));
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        String secret = started.text("secret");
        long step = freshStep();
        assertThat(api.post("/api/v1/auth/mfa/enrollment/confirm", officer.token(),
                Map.of("code", totp(secret, step))).status()).isEqualTo(200);

        signIn(officer.email(), PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-totp-field"));
        assertThat(text(browser, "qd-login-error")).contains("code");
        // The e-mail and password stay filled in; only the code is added.
        browser.findElement(By.id("qd-totp")).sendKeys(totp(secret, step + 1));
        browser.findElement(By.id("qd-login-submit")).click();
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-denied-view"));
        assertThat(text(browser, "qd-denied-message")).contains("403");
    }

    @Test
    void aRejectedAccessTokenIsRenewedWithTheRefreshTokenAndTheDashboardCarriesOn() {
        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-summary-view"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        HeadlessChromium.spoilAccessToken(browser, TOKENS);
        String dead = id("dead");
        rows.dead(TASK, dead, 5);

        // The next refresh of the summary (every 5 s) is answered 401, renews the token and tries again.
        waitFor(browser, Duration.ofSeconds(12), () -> !browser.findElements(deadJob(dead)).isEmpty());
        assertThat(visible(browser, "qd-summary-view")).isTrue();
        assertThat((String) js.executeScript("return JSON.parse(sessionStorage.getItem(arguments[0])).access",
                TOKENS)).isNotEqualTo("not-a-token");
        // The app's calls carry the renewed token too.
        click(browser.findElements(By.xpath("//div[@id='root']//button[normalize-space()='Refresh']")).getFirst());
        waitFor(browser, Duration.ofSeconds(10), () -> browser.findElement(By.id("root")).getText().contains(TASK));
    }

    /**
     * Two tabs holding the same tokens (one duplicated from the other) both meet a 401 and renew
     * with the same refresh token: one exchange rotates the session, the other is answered 409
     * REFRESH_IN_PROGRESS. The losing tab takes the winner's tokens (from the winning tab) instead
     * of signing out, and both carry on with one session.
     */
    @Test
    void aTabThatLosesTheRefreshRaceToAnotherTabTakesItsTokensAndCarriesOn() {
        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-summary-view"));
        HeadlessChromium.TwinTabs tabs = HeadlessChromium.twinTabsWithExpiredAccess(browser,
                "http://127.0.0.1:" + port + "/queue-dashboard", TOKENS, "qd-summary-view");
        String dead = id("dead");
        rows.dead(TASK, dead, 5);

        // Each tab's next summary refresh (every 5 s) is answered 401 and renews with the same token.
        for (String tab : List.of(tabs.first(), tabs.second())) {
            browser.switchTo().window(tab);
            waitFor(browser, Duration.ofSeconds(15), () -> !browser.findElements(deadJob(dead)).isEmpty());
            assertThat(visible(browser, "qd-login-view")).as("tab %s signed out", tab).isFalse();
            assertThat(visible(browser, "qd-summary-view")).isTrue();
        }
        browser.switchTo().window(tabs.first());
        String renewed = HeadlessChromium.refreshToken(browser, TOKENS);
        browser.switchTo().window(tabs.second());
        assertThat(renewed).isNotEqualTo(tabs.refreshToken())
                .as("one exchange: the loser holds the winner's tokens").isEqualTo(HeadlessChromium.refreshToken(browser, TOKENS));
        assertNoContentSecurityPolicyViolation(browser);
    }

    @Test
    void aWrongPasswordKeepsTheSignInFormWithAMessage() {
        signIn("nobody-" + UUID.randomUUID() + "@tests.invalid", "not-the-password");

        waitFor(browser, Duration.ofSeconds(5), () -> visible(browser, "qd-login-error"));
        assertThat(visible(browser, "qd-summary-view")).isFalse();
        assertThat(browser.findElement(By.id("root")).isDisplayed()).isFalse();
    }

    /** The current TOTP time step, waiting for the next one when this one ends within 10 s. */
    private static long freshStep() {
        long left = 30_000 - System.currentTimeMillis() % 30_000;
        if (left < 10_000) {
            try {
                Thread.sleep(left + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Instant.now().getEpochSecond() / 30;
    }

    /** What an authenticator app shows for the base32 key at a time step (RFC 6238, SHA-1, 6 digits). */
    private static String totp(String base32, long step) {
        java.io.ByteArrayOutputStream key = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : base32.toCharArray()) {
            buffer = (buffer << 5) | "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c);
            bits += 5;
            if (bits >= 8) {
                key.write(buffer >> (bits - 8) & 0xff);
                bits -= 8;
            }
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.toByteArray(), "HmacSHA1"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int o = h[19] & 0xf;
            int value = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", value % 1_000_000);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void signIn(String email, String password) {
        browser.get("http://127.0.0.1:" + port + "/queue-dashboard");
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "qd-login-view"));
        browser.findElement(By.id("qd-email")).sendKeys(email);
        browser.findElement(By.id("qd-password")).sendKeys(password);
        browser.findElement(By.id("qd-login-submit")).click();
    }

    private String count(String column) {
        List<WebElement> cells = browser.findElements(By.cssSelector("#qd-queues tbody tr[data-task='" + TASK
                + "'] td[data-count='" + column + "']"));
        return cells.isEmpty() ? "" : cells.getFirst().getText();
    }

    private static By deadJob(String instance) {
        return By.cssSelector("#qd-dead tr[data-instance='" + instance + "']");
    }

    /** The app's row (group) of the test queue on its front page. */
    private List<WebElement> appGroup() {
        return browser.findElements(By.cssSelector("#root .chakra-accordion__button")).stream()
                .filter(b -> b.getText().contains(TASK)).toList();
    }

    /** The app's row of one execution on the queue's page. */
    private WebElement appRow(String instance) {
        return browser.findElements(By.cssSelector("#root .chakra-accordion__item")).stream()
                .filter(r -> r.getText().contains(instance)).findFirst().orElse(null);
    }

    private void click(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    /** Short enough for the app to show whole (it cuts long task ids). */
    private static String id(String state) {
        return state + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

}
