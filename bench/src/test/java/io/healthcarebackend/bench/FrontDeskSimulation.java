package io.healthcarebackend.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The front desk under load. Each virtual user logs in once as the seeded receptionist, then loops
 * over a mix of availability searches (25%), bookings (25%) and patient reads (50%; BENCH_MIX
 * changes the split) until the steady phase ends. An availability search asks for a random
 * practitioner's free slots over 7 days starting within the next 4 weeks. Users arrive over the ramp; a throttle caps the whole run at BENCH_RPS
 * (reached linearly over the ramp, then held), so the load is a bounded ramp then a constant rate,
 * or the most the machine can serve when that is less.
 *
 * <p>Bookings never collide by design: booking number i takes practitioner i % P and the
 * (i / P)-th 30-minute slot from tomorrow 08:00 UTC (24 slots a day, 08:00-20:00), for patient
 * i % N. Bookings sharing a time differ in i by less than P, so with N >= P their patients differ
 * too. A 409 SLOT_TAKEN therefore means a real conflict-detection fault, and is counted apart.
 */
public class FrontDeskSimulation extends Simulation {

    private static final int SLOTS_PER_DAY = 24;
    private static final LocalDate FIRST_DAY = LocalDate.now(ZoneOffset.UTC).plusDays(1);

    private final String baseUrl = setting("BENCH_BASE_URL", "http://127.0.0.1:18088");
    private final int users = Integer.parseInt(setting("BENCH_USERS", "32"));
    private final int rps = Integer.parseInt(setting("BENCH_RPS", "8000"));
    private final Duration ramp = Duration.ofSeconds(Long.parseLong(setting("BENCH_RAMP_SECONDS", "20")));
    private final Duration steady = Duration.ofSeconds(Long.parseLong(setting("BENCH_STEADY_SECONDS", "120")));
    /** Percentages of availability searches, bookings and patient reads; must add up to 100. */
    private final String mix = setting("BENCH_MIX", "25,25,50");
    private final int maxIterationsPerUser = Integer.parseInt(setting("BENCH_MAX_ITERATIONS", "1000000"));
    private final Path seedDir = Path.of(setting("BENCH_SEED_DIR", "target/seed"));
    private final Path statusFile = Path.of(setting("BENCH_STATUS_FILE", "target/booking-statuses.json"));

    private final List<String> practitioners = ids("practitioners.txt");
    private final List<String> patients = ids("patients.txt");
    private final AtomicLong bookingCounter = new AtomicLong();
    private final Map<Integer, LongAdder> bookingStatuses = new ConcurrentHashMap<>();
    private volatile long deadlineNanos;

    private final HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("healthcare-backend-bench");

    private final ChainBuilder login = exec(http("login").post("/api/v1/auth/login")
            .body(StringBody("{\"email\":\"" + setting("BENCH_USER_EMAIL", "") + "\",\"password\":\""
                    + setting("BENCH_PASSWORD", "") + "\"}"))
            .check(status().is(200), jmesPath("accessToken").saveAs("token")));

    private final ChainBuilder availability = exec(session -> {
        LocalDate from = FIRST_DAY.plusDays(ThreadLocalRandom.current().nextInt(28));
        return session.set("practitionerId", random(practitioners))
                .set("from", from.atStartOfDay(ZoneOffset.UTC).toInstant().toString())
                .set("to", from.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    }).exec(http("availability").get("/api/v1/practitioners/#{practitionerId}/availability")
            .queryParam("from", "#{from}").queryParam("to", "#{to}")
            .header("Authorization", "Bearer #{token}")
            .check(status().is(200)));

    private final ChainBuilder booking = exec(this::nextBooking)
            .exec(http("book").post("/api/v1/appointments")
                    .header("Authorization", "Bearer #{token}")
                    .body(StringBody("#{bookingBody}"))
                    .check(status().saveAs("bookStatus"), status().is(201)))
            .exec(session -> {
                int code = session.contains("bookStatus") ? session.getInt("bookStatus") : 0;
                bookingStatuses.computeIfAbsent(code, c -> new LongAdder()).increment();
                return session.remove("bookStatus");
            });

    private final ChainBuilder patientRead = exec(session -> session.set("patientId", random(patients)))
            .exec(http("patient read").get("/api/v1/patients/#{patientId}")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().is(200)));

    private final ScenarioBuilder frontDesk = scenario("front desk")
            .exec(login)
            .exitHereIfFailed()
            .asLongAs(session -> session.getInt("iteration") < maxIterationsPerUser
                    && System.nanoTime() < deadlineNanos, "iteration").on(
                    randomSwitch().on(mix()));

    {
        if (!"127.0.0.1".equals(URI.create(baseUrl).getHost())) {
            throw new IllegalArgumentException("BENCH_BASE_URL must target 127.0.0.1, got " + baseUrl);
        }
        setUp(frontDesk.injectOpen(rampUsers(users).during(ramp)))
                .protocols(protocol)
                .throttle(reachRps(rps).in(ramp), holdFor(steady))
                .maxDuration(ramp.plus(steady).plusSeconds(30));
    }

    @Override
    public void before() {
        deadlineNanos = System.nanoTime() + ramp.plus(steady).toNanos();
    }

    @Override
    public void after() {
        StringBuilder json = new StringBuilder("{");
        bookingStatuses.forEach((code, count) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(code).append("\":").append(count.sum()));
        json.append('}');
        try {
            Files.writeString(statusFile, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("Booking responses by status: " + json);
    }

    private Session nextBooking(Session session) {
        long i = bookingCounter.getAndIncrement();
        int p = practitioners.size();
        long slot = i / p;
        ZonedDateTime start = FIRST_DAY.plusDays(slot / SLOTS_PER_DAY).atTime(8, 0).atZone(ZoneOffset.UTC)
                .plusMinutes(30 * (slot % SLOTS_PER_DAY));
        String body = "{\"patientId\":\"" + patients.get((int) (i % patients.size()))
                + "\",\"practitionerId\":\"" + practitioners.get((int) (i % p))
                + "\",\"start\":\"" + start.toInstant() + "\",\"end\":\"" + start.plusMinutes(30).toInstant() + "\"}";
        return session.set("bookingBody", body).remove("bookStatus");
    }

    private List<Choice.WithWeight> mix() {
        double[] weights = Arrays.stream(mix.split(",")).mapToDouble(w -> Double.parseDouble(w.strip())).toArray();
        if (weights.length != 3 || Math.abs(Arrays.stream(weights).sum() - 100) > 0.001) {
            throw new IllegalArgumentException("BENCH_MIX must be three percentages adding up to 100, got " + mix);
        }
        List<ChainBuilder> chains = List.of(availability, booking, patientRead);
        List<Choice.WithWeight> choices = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                choices.add(percent(weights[i]).then(chains.get(i)));
            }
        }
        return choices;
    }

    private List<String> ids(String file) {
        try {
            List<String> ids = Files.readAllLines(seedDir.resolve(file)).stream().filter(s -> !s.isBlank()).toList();
            if (ids.isEmpty()) {
                throw new IllegalStateException("no ids in " + seedDir.resolve(file));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("run bench/seed.py first (scripts/bench.sh does)", e);
        }
    }

    private static String random(List<String> ids) {
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
