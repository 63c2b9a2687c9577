package io.healthcarebackend.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests in which this JVM runs background jobs ({@code app.role=all}; every other test
 * context is an API instance that only enqueues). Messages go to real peers in this JVM: an SMTP
 * server (GreenMail) and a Twilio-shaped SMS provider (WireMock), both started once per run. The
 * context is closed after each class so that at most one context polls the job table at a time
 * (jobs belong to whichever worker claims them first).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class WorkerTest extends ApiTest {

    public static final String SMS_SID = "AC00000000000000000000000000000000";
    public static final GreenMail SMTP = smtp();
    public static final WireMockServer SMS = sms();

    @DynamicPropertySource
    static void workers(DynamicPropertyRegistry registry) {
        registry.add("app.role", () -> "all");
        registry.add("db-scheduler.polling-interval", () -> "200ms");
        registry.add("app.jobs.base-delay", () -> "200ms");
        registry.add("app.jobs.max-delay", () -> "1s");
        registry.add("app.jobs.max-attempts", () -> "4");
        registry.add("app.notifications.channels.email.host", () -> "127.0.0.1");
        registry.add("app.notifications.channels.email.port", () -> SMTP.getSmtp().getPort());
        registry.add("app.notifications.channels.email.starttls", () -> "false");
        registry.add("app.notifications.channels.email.from", () -> "clinic@tests.invalid");
        registry.add("app.notifications.channels.sms.provider-url", SMS::baseUrl);
        registry.add("app.notifications.channels.sms.account-sid", () -> SMS_SID);
        registry.add("app.notifications.channels.sms.auth-token", () -> "test-token");
        registry.add("app.notifications.channels.sms.from", () -> "+15550000000");
        registry.add("app.notifications.channels.push.provider-url", SMS::baseUrl);
        registry.add("app.notifications.channels.push.project-id", () -> "hb-tests");
        registry.add("app.notifications.channels.push.access-token", () -> "test-push-token");
        registry.add("app.notifications.channels.http-timeout", () -> "2s");
    }

    private static GreenMail smtp() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    private static WireMockServer sms() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        acceptEverySms(server);
        return server;
    }

    /** The providers' normal answers: SMS 201 with a message sid, push 200 with a message name. */
    public static void acceptEverySms(WireMockServer server) {
        server.resetAll();
        server.stubFor(WireMock.post(WireMock.urlPathEqualTo("/v1/projects/hb-tests/messages:send"))
                .willReturn(WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"name\":\"projects/hb-tests/messages/{{randomValue length=20 type='NUMERIC'}}\"}")
                        .withTransformers("response-template")));
        server.stubFor(WireMock.post(WireMock.urlPathMatching("/2010-04-01/Accounts/.*/Messages.json"))
                .willReturn(WireMock.aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"sid\":\"SM{{randomValue length=32 type='ALPHANUMERIC'}}\",\"status\":\"queued\"}")
                        .withTransformers("response-template")));
    }

    /** Polls until the condition holds, failing with the message after the timeout. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
