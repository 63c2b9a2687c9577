package io.healthcarebackend.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.HealthcareBackendApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stopping an instance drains it: a request in flight when shutdown begins still gets its
 * answer (the database pool is closed only after it), and the instance then accepts no new work.
 */
class GracefulShutdownTest {

    static final CountDownLatch IN_FLIGHT = new CountDownLatch(1);

    @TestConfiguration
    static class SlowEndpoint {

        @Bean
        @org.springframework.core.annotation.Order(0)
        SecurityFilterChain slowChain(HttpSecurity http) throws Exception {
            return http.securityMatcher("/test/slow").authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
        }

        /** Sleeps, then needs the database: it only succeeds if the pool is still open. */
        @RestController
        static class Slow {
            private final JdbcClient jdbc;

            Slow(JdbcClient jdbc) {
                this.jdbc = jdbc;
            }

            @GetMapping("/test/slow")
            String slow() throws InterruptedException {
                IN_FLIGHT.countDown();
                Thread.sleep(5_000);
                return jdbc.sql("select 'finished'").query(String.class).single();
            }
        }
    }

    @Test
    void aRequestInFlightFinishesWhileTheInstanceShutsDown() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HealthcareBackendApplication.class,
                SlowEndpoint.class).properties("server.port=0", "spring.main.allow-bean-definition-overriding=true")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(IN_FLIGHT.await(10, TimeUnit.SECONDS)).as("the slow request started").isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        HttpResponse<String> response = slow.get(20, TimeUnit.SECONDS);
        closing.get(30, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("finished");
        assertThat(context.isActive()).isFalse();
        boolean refused;
        try {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            refused = false;
        } catch (java.io.IOException e) {
            refused = true;
        }
        assertThat(refused).as("a stopped instance accepts no new connections").isTrue();
    }
}
