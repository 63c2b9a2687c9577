package io.healthcarebackend.audit.dashboard;

import static io.healthcarebackend.support.HeadlessChromium.assertNoContentSecurityPolicyViolation;
import static io.healthcarebackend.support.HeadlessChromium.text;
import static io.healthcarebackend.support.HeadlessChromium.visible;
import static io.healthcarebackend.support.HeadlessChromium.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.HeadlessChromium;
import io.healthcarebackend.support.ApiTest;
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

/**
 * The /logger page as people use it, in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}; scripts/ensure-services.sh installs them). Missing browsers fail the
 * test with instructions rather than skipping it, so a CI machine without them cannot pass silently.
 */
class LoggerDashboardTest extends ApiTest {

    private static final String TOKENS = "hb.logger.tokens";

    /** One Chromium for the class; each test gets a fresh tab of it (HeadlessChromium.freshTab). */
    private static WebDriver chromium;

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
        browser = HeadlessChromium.freshTab(chromium, "http://127.0.0.1:" + port);
    }

    @Test
    void aClinicAdministratorSeesTheDashboardAndAnApiCallOnTheLiveTailWithinTwoSeconds() {
        Clinic clinic = newClinic();
        User admin = clinic.user("CLINIC_ADMIN");
        String receptionist = clinic.user("RECEPTIONIST").token();
        signIn(admin.email(), PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "dashboard-view") && text(browser, "tail-status").equals("live"));
        assertThat(text(browser, "scope")).contains("CLINIC_ADMIN").contains(clinic.id);

        Api.Response created = api.post("/api/v1/patients", receptionist,
                Map.of("givenName", "Browser", "familyName", "Test", "birthDate", "1990-02-03"));
        assertThat(created.status()).isEqualTo(201);
        Instant sent = Instant.now();
        String trace = created.header("X-Trace-Id");
        By row = By.cssSelector("#tail tr[data-trace-id='" + trace + "']");
        waitFor(browser, Duration.ofSeconds(2), () -> !browser.findElements(row).isEmpty());
        Duration took = Duration.between(sent, Instant.now());

        assertThat(took).as("the event on the page").isLessThan(Duration.ofSeconds(2));
        WebElement event = browser.findElement(row);
        assertThat(event.getText()).contains("POST /api/v1/patients").contains("201");
        assertThat(event.getAttribute("data-clinic-id")).isEqualTo(clinic.id);
        assertThat(browser.findElement(By.id("tail")).getText()).doesNotContain("Browser");

        // The live-tail filter narrows the list to the matching rows.
        api.get("/api/v1/practitioners", receptionist);
        waitFor(browser, Duration.ofSeconds(2), () -> tailRows().size() >= 2);
        browser.findElement(By.id("tail-filter")).sendKeys(trace);
        waitFor(browser, Duration.ofSeconds(2), () -> tailRows().size() == 1);
        assertThat(tailRows().getFirst().getAttribute("data-trace-id")).isEqualTo(trace);
        browser.findElement(By.id("tail-filter")).clear();
        browser.findElement(By.id("tail-filter")).sendKeys("x");
        browser.findElement(By.id("tail-filter")).sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        waitFor(browser, Duration.ofSeconds(2), () -> tailRows().size() >= 2);

        // Route latency is filled from the service's own metrics.
        waitFor(browser, Duration.ofSeconds(12), () -> !browser.findElements(
                By.cssSelector("#routes tr[data-route='/api/v1/patients']")).isEmpty());
        assertNoContentSecurityPolicyViolation(browser);
    }

    @Test
    void theAuditFiltersNarrowTheTrail() {
        Clinic clinic = newClinic();
        User admin = clinic.user("CLINIC_ADMIN");
        String practitioner = clinic.practitioner();
        String first = clinic.patient();
        String second = clinic.patient();
        assertThat(clinic.book(clinic.adminToken, first, practitioner, clinic.at(2, 9, 0)).status()).isEqualTo(201);
        assertThat(clinic.book(clinic.adminToken, second, practitioner, clinic.at(2, 10, 0)).status()).isEqualTo(201);
        String nurse = clinic.user("RECEPTIONIST").token();
        assertThat(api.post("/api/v1/patients/" + first + "/emergency-access", nurse,
                Map.of("reason", "Unconscious on arrival")).status()).isEqualTo(200);
        signIn(admin.email(), PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "dashboard-view") && auditRows().size() > 2);
        List<String> actions = auditRows().stream().map(r -> r.getAttribute("data-action")).distinct().toList();
        assertThat(actions).as("an unfiltered trail has several actions").contains("CREATE").hasSizeGreaterThan(1);
        int unfiltered = auditRows().size();

        browser.findElement(By.id("audit-patient")).sendKeys(first);
        browser.findElement(By.id("audit-action")).sendKeys("CREATE");
        browser.findElement(By.id("audit-apply")).click();
        waitFor(browser, Duration.ofSeconds(5), () -> !auditRows().isEmpty() && auditRows().stream()
                .allMatch(r -> first.equals(r.getAttribute("data-patient-id"))));

        assertThat(auditRows()).hasSizeLessThan(unfiltered)
                .allSatisfy(r -> assertThat(r.getAttribute("data-action")).isEqualTo("CREATE"));
        assertThat(text(browser, "audit-status")).contains(auditRows().size() + " event(s)");

        browser.findElement(By.id("audit-action")).clear();
        browser.findElement(By.id("audit-emergency")).click();
        browser.findElement(By.id("audit-apply")).click();
        waitFor(browser, Duration.ofSeconds(5), () -> !auditRows().isEmpty() && auditRows().stream()
                .allMatch(r -> "true".equals(r.getAttribute("data-emergency"))));
        assertThat(auditRows()).allSatisfy(r -> assertThat(r.getAttribute("data-patient-id")).isEqualTo(first));

        browser.findElement(By.id("audit-patient")).clear();
        browser.findElement(By.id("audit-patient")).sendKeys(second);
        browser.findElement(By.id("audit-apply")).click();
        waitFor(browser, Duration.ofSeconds(5), () -> auditRows().isEmpty() && text(browser, "audit-status").startsWith("0 event"));
    }

    @Test
    void aReceptionistSignsInAndIsShownTheAccessDeniedMessage() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        signIn(receptionist.email(), PASSWORD);

        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "denied-view"));
        assertThat(text(browser, "denied-message")).contains("403");
        assertThat(visible(browser, "dashboard-view")).isFalse();
    }

    @Test
    void aPlatformAdministratorSeesPlatformEventsAndNoClinicsEvents() {
        Clinic clinic = newClinic();
        signIn(PLATFORM_EMAIL, PLATFORM_PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "dashboard-view") && text(browser, "tail-status").equals("live"));
        assertThat(text(browser, "scope")).contains("platform");

        String clinicTrace = api.post("/api/v1/patients", clinic.adminToken,
                Map.of("givenName", "Browser", "familyName", "Test", "birthDate", "1990-02-03")).header("X-Trace-Id");
        String platformTrace = api.post("/api/v1/clinics", platformToken(),
                Map.of("name", "Clinic " + UUID.randomUUID(), "timeZone", "UTC")).header("X-Trace-Id");
        waitFor(browser, Duration.ofSeconds(2), () -> !browser.findElements(
                By.cssSelector("#tail tr[data-trace-id='" + platformTrace + "']")).isEmpty());

        assertThat(browser.findElements(By.cssSelector("#tail tr[data-trace-id='" + clinicTrace + "']"))).isEmpty();
        assertThat(tailRows()).isNotEmpty().allSatisfy(r -> assertThat(r.getAttribute("data-clinic-id")).isEmpty());
    }

    /**
     * A refresh token is exchanged once; of several exchanges the losers get 409
     * REFRESH_IN_PROGRESS. Calls of one page that meet a 401 together share one renewal, and a tab
     * that loses the exchange to another tab holding the same tokens (a duplicated tab) takes that
     * tab's new tokens: nobody is signed out, and one session carries on.
     */
    @Test
    void callsThatMeetAnExpiredTokenTogetherAndATabThatLosesTheRefreshRaceStaySignedIn() {
        Clinic clinic = newClinic();
        User admin = clinic.user("CLINIC_ADMIN");
        signIn(admin.email(), PASSWORD);
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "dashboard-view"));
        HeadlessChromium.TwinTabs tabs = HeadlessChromium.twinTabsWithExpiredAccess(browser,
                "http://127.0.0.1:" + port + "/logger", TOKENS, "dashboard-view");

        // Two calls at once in the first tab, both answered 401: one renewal for both.
        ((JavascriptExecutor) browser).executeScript("document.getElementById('audit-apply').click();"
                + "document.getElementById('audit-apply').click();");
        waitFor(browser, Duration.ofSeconds(10),
                () -> !tabs.refreshToken().equals(HeadlessChromium.refreshToken(browser, TOKENS)));
        String renewed = HeadlessChromium.refreshToken(browser, TOKENS);
        waitFor(browser, Duration.ofSeconds(10), () -> text(browser, "audit-status").contains("event(s)"));
        assertThat(visible(browser, "login-view")).isFalse();

        // The second tab renews with the token the first has just exchanged: 409, and it takes the first's.
        browser.switchTo().window(tabs.second());
        browser.findElement(By.id("audit-apply")).click();
        waitFor(browser, Duration.ofSeconds(10), () -> text(browser, "audit-status").contains("event(s)")
                || visible(browser, "login-view"));
        assertThat(visible(browser, "login-view")).as("the losing tab signed out").isFalse();
        assertThat(HeadlessChromium.refreshToken(browser, TOKENS)).isEqualTo(renewed);
        assertNoContentSecurityPolicyViolation(browser);
    }

    @Test
    void aWrongPasswordKeepsTheLoginFormWithAMessage() {
        signIn("nobody-" + UUID.randomUUID() + "@tests.invalid", "not-the-password");

        waitFor(browser, Duration.ofSeconds(5), () -> visible(browser, "login-error"));
        assertThat(visible(browser, "dashboard-view")).isFalse();
    }

    private void signIn(String email, String password) {
        browser.get("http://127.0.0.1:" + port + "/logger");
        waitFor(browser, Duration.ofSeconds(10), () -> visible(browser, "login-view"));
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    private List<WebElement> tailRows() {
        return browser.findElements(By.cssSelector("#tail tbody tr")).stream().filter(WebElement::isDisplayed).toList();
    }

    private List<WebElement> auditRows() {
        return browser.findElements(By.cssSelector("#audit tbody tr"));
    }

}
