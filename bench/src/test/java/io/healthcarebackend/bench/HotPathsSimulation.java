package io.healthcarebackend.bench;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The hot paths, each on its own, one after the other: {@code make bench} (scripts/bench.sh,
 * docs/benchmarks.md). For each path in BENCH_PATHS (default: patient-read, patient-search,
 * booking, availability) BENCH_CONNECTIONS virtual users (64) arrive over BENCH_RAMP_SECONDS, each
 * with its own connection and its own signed-in receptionist, and send that path's request in a
 * loop without think time: a closed model at saturation. Requests of the first
 * BENCH_RAMP_SECONDS + BENCH_WARMUP_SECONDS are named "&lt;path&gt; (warm-up)"; those of the next
 * BENCH_MEASURE_SECONDS "&lt;path&gt;", so the report's statistics of that name are the measurement.
 * The measured windows (wall clock) are appended to BENCH_PHASES_FILE, for the CPU figures.
 * scripts/bench.sh runs one path per run (ANALYZE in between), so each starts from fresh statistics.
 *
 * <ul>
 *   <li>patient-read: {@code GET /api/v1/patients/{id}}, a random patient;
 *   <li>patient-search: {@code POST /api/v1/patients/search {"name": <a random family name>, "limit": 20}},
 *       each name borne by 20 patients (bench/seed.py), so every search finds 20; nothing is cached;
 *   <li>booking: {@code POST /api/v1/appointments} with a new Idempotency-Key. Booking number i takes
 *       practitioner i % P and the (i / P)-th 30-minute slot from tomorrow 08:00 UTC (24 slots a day,
 *       08:00-20:00), for patient i % N: bookings never collide by design, so a 409 SLOT_TAKEN is a
 *       conflict-detection fault, counted apart (BENCH_STATUS_FILE);
 *   <li>availability: {@code GET /api/v1/practitioners/{id}/availability}, a random practitioner, 7 days
 *       starting within the next 4 weeks (after the booking phase, a calendar filled for weeks).
 * </ul>
 */
public class HotPathsSimulation extends Simulation {

    private static final int SLOTS_PER_DAY = 24;
    private static final LocalDate FIRST_DAY = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<String> ALL_PATHS = List.of("patient-read", "patient-search", "booking", "availability");

    private final String baseUrl = setting("BENCH_BASE_URL", "http://127.0.0.1:18088");
    private final int connections = Integer.parseInt(setting("BENCH_CONNECTIONS", "64"));
    private final Duration ramp = Duration.ofSeconds(Long.parseLong(setting("BENCH_RAMP_SECONDS", "5")));
    private final Duration warmup = Duration.ofSeconds(Long.parseLong(setting("BENCH_WARMUP_SECONDS", "35")));
    private final Duration measure = Duration.ofSeconds(Long.parseLong(setting("BENCH_MEASURE_SECONDS", "20")));
    private final List<String> paths = Arrays.stream(setting("BENCH_PATHS", String.join(",", ALL_PATHS)).split(","))
            .map(String::strip).filter(p -> !p.isEmpty()).toList();
    private final Path seedDir = Path.of(setting("BENCH_SEED_DIR", "target/seed"));
    private final Path statusFile = Path.of(setting("BENCH_STATUS_FILE", "target/booking-statuses.json"));
    private final Path phasesFile = Path.of(setting("BENCH_PHASES_FILE", "target/phases.jsonl"));
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private final List<String> practitioners = lines("practitioners.txt");
    private final List<String> patients = lines("patients.txt");
    private final List<String> searchNames = lines("search-names.txt");
    private final List<String> users = lines("users.txt");
    private final List<String> tokens = new ArrayList<>();
    private final AtomicLong bookingCounter = new AtomicLong();
    private final AtomicLong userCounter = new AtomicLong();
    private final Map<Integer, LongAdder> bookingStatuses = new ConcurrentHashMap<>();
    /** Per path: when its first user arrived (System.nanoTime and wall clock, ms). */
    private final Map<String, long[]> started = new ConcurrentHashMap<>();

    private final HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
            .acceptHeader("application/json")
            .contentTypeHeader("application/json")
            .userAgentHeader("healthcare-backend-bench");

    {
        if (!"127.0.0.1".equals(URI.create(baseUrl).getHost())) {
            throw new IllegalArgumentException("BENCH_BASE_URL must target 127.0.0.1, got " + baseUrl);
        }
        if (paths.isEmpty() || !ALL_PATHS.containsAll(paths)) {
            throw new IllegalArgumentException("BENCH_PATHS must name some of " + ALL_PATHS + ", got " + paths);
        }
        if (users.size() < connections) {
            throw new IllegalArgumentException("bench/seed.py made " + users.size() + " receptionists for "
                    + connections + " connections: seed with BENCH_DESK_USERS >= BENCH_CONNECTIONS");
        }
        setUp(chained()).protocols(protocol)
                .maxDuration(ramp.plus(warmup).plus(measure).plusSeconds(30).multipliedBy(paths.size()));
    }

    private PopulationBuilder chained() {
        PopulationBuilder chain = null;
        for (String path : paths) {
            PopulationBuilder next = pathScenario(path).injectOpen(rampUsers(connections).during(ramp));
            chain = chain == null ? next : chain.andThen(next);
        }
        return chain;
    }

    /** One path: take a token, then loop until the path's end, naming requests by phase. */
    private ScenarioBuilder pathScenario(String path) {
        ChainBuilder request = switch (path) {
            case "patient-read" -> exec(session -> session.set("patientId", random(patients)))
                    .exec(http("#{requestName}").get("/api/v1/patients/#{patientId}")
                            .header("Authorization", "Bearer #{token}")
                            .check(status().is(200)));
            case "patient-search" -> exec(session -> session.set("searchBody",
                    "{\"name\":\"" + random(searchNames) + "\",\"limit\":20}"))
                    .exec(http("#{requestName}").post("/api/v1/patients/search")
                            .header("Authorization", "Bearer #{token}")
                            .body(StringBody("#{searchBody}"))
                            .check(status().is(200)));
            case "booking" -> exec(this::nextBooking)
                    .exec(http("#{requestName}").post("/api/v1/appointments")
                            .header("Authorization", "Bearer #{token}")
                            .header("Idempotency-Key", "#{idempotencyKey}")
                            .body(StringBody("#{bookingBody}"))
                            .check(status().saveAs("bookStatus"), status().is(201)))
                    .exec(session -> {
                        int code = session.contains("bookStatus") ? session.getInt("bookStatus") : 0;
                        bookingStatuses.computeIfAbsent(code, c -> new LongAdder()).increment();
                        return session.remove("bookStatus");
                    });
            case "availability" -> exec(session -> {
                LocalDate from = FIRST_DAY.plusDays(ThreadLocalRandom.current().nextInt(28));
                return session.set("practitionerId", random(practitioners))
                        .set("from", from.atStartOfDay(ZoneOffset.UTC).toInstant().toString())
                        .set("to", from.plusDays(7).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            }).exec(http("#{requestName}").get("/api/v1/practitioners/#{practitionerId}/availability")
                    .queryParam("from", "#{from}").queryParam("to", "#{to}")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().is(200)));
            default -> throw new IllegalArgumentException(path);
        };
        return scenario(path)
                .exec(session -> {
                    long[] start = started.computeIfAbsent(path,
                            p -> new long[] {System.nanoTime(), System.currentTimeMillis()});
                    return session.set("token", tokens.get((int) (userCounter.getAndIncrement() % tokens.size())))
                            .set("warmEnd", start[0] + ramp.plus(warmup).toNanos())
                            .set("end", start[0] + ramp.plus(warmup).plus(measure).toNanos());
                })
                .asLongAs(session -> System.nanoTime() < session.getLong("end")).on(
                        exec(session -> session.set("requestName",
                                System.nanoTime() < session.getLong("warmEnd") ? path + " (warm-up)" : path))
                                .exec(request));
    }

    @Override
    public void before() {
        // One session per receptionist, signed in before the load (sign-in is not a hot path).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String password = setting("BENCH_PASSWORD", "");
        tokens.addAll(IntStream.range(0, connections).parallel().mapToObj(i -> {
            String body = "{\"email\":\"" + users.get(i) + "\",\"password\":\"" + password + "\"}";
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/auth/login"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Matcher m = TOKEN.matcher(r.body());
                if (r.statusCode() != 200 || !m.find()) {
                    throw new IllegalStateException("sign-in of " + users.get(i) + ": " + r.statusCode() + " " + r.body());
                }
                return m.group(1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }).toList());
    }

    @Override
    public void after() {
        StringBuilder json = new StringBuilder("{");
        bookingStatuses.forEach((code, count) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(code).append("\":").append(count.sum()));
        json.append('}');
        StringBuilder phases = new StringBuilder();
        for (String path : paths) {
            long[] start = started.get(path);
            if (start != null) {
                long from = start[1] + ramp.plus(warmup).toMillis();
                phases.append(String.format("{\"path\":\"%s\",\"start\":%.3f,\"end\":%.3f,\"seconds\":%d}%n", path,
                        from / 1000.0, (from + measure.toMillis()) / 1000.0, measure.toSeconds()));
            }
        }
        try {
            if (paths.contains("booking")) {
                Files.writeString(statusFile, json);
            }
            // Appended: scripts/bench.sh runs one path per simulation run.
            Files.writeString(phasesFile, phases, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
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
        return session.set("bookingBody", body).set("idempotencyKey", "bench-" + runId + "-" + i)
                .remove("bookStatus");
    }

    private List<String> lines(String file) {
        try {
            List<String> lines = Files.readAllLines(seedDir.resolve(file)).stream().filter(s -> !s.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new IllegalStateException("nothing in " + seedDir.resolve(file));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("run bench/seed.py first (scripts/bench.sh does)", e);
        }
    }

    private static String random(List<String> items) {
        return items.get(ThreadLocalRandom.current().nextInt(items.size()));
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
