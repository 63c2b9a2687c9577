/*
 * The bounded load generator of `scripts/cluster.sh roll` (run with the JDK source launcher:
 * `java scripts/cluster/LoadGenerator.java --base http://127.0.0.1:8080 ...`; no dependencies).
 *
 * Signs in as a demo user (again every 4 minutes: access tokens live 5), creates its own practitioner (every day 00:00-23:50, 10-minute slots)
 * and one patient per client, lists the free slots of the next 30 days, then runs `--concurrency`
 * clients at `--rate` requests per second in total, each cycling through
 *   GET /health (200), GET /api/v1/patients/{id} (200), POST /api/v1/patients/search (200),
 *   GET /api/v1/practitioners/{id}/availability (200), POST /api/v1/appointments (201, Idempotency-Key),
 * until the stop file appears, `--max-seconds` pass or `--max-requests` were sent. Every booking takes a
 * different free slot of its own practitioner, so each one must be 201: a 409 SLOT_TAKEN would mean a
 * booking was applied twice. A failure is any other status, a connection error or a timeout (10 s).
 * Counts by outcome and by answering instance (HAProxy's X-Served-By) go to stdout and to `--report`
 * (JSON). Exit status: 0 no failure, 1 failures (or nothing answered), 2 setup failed.
 *
 * Options: --base URL --user EMAIL (password from DEMO_PASSWORD, default demo-password-123)
 *   --concurrency N [4] --rate R [40] --max-seconds S [300] --max-requests N [30000] --stop-file PATH --ready-file PATH --report PATH
 */

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

public class LoadGenerator {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern SLOT = Pattern.compile("\"start\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"end\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");

    enum Op {
        HEALTH("GET /health", 200), PATIENT("GET /api/v1/patients/{id}", 200), SEARCH("POST /api/v1/patients/search", 200),
        AVAILABILITY("GET /api/v1/practitioners/{id}/availability", 200), BOOK("POST /api/v1/appointments", 201);

        final String label;
        final int expected;

        Op(String label, int expected) {
            this.label = label;
            this.expected = expected;
        }
    }

    record Slot(String start, String end) {
    }

    final Map<String, String> options;
    final URI base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    final ConcurrentLinkedQueue<Slot> freeSlots = new ConcurrentLinkedQueue<>();
    final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
    final LongAdder ok = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder bookings = new LongAdder();
    final AtomicLong sent = new AtomicLong();
    final List<String> failureSamples = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    volatile String token;
    volatile long signedInAt;
    String practitioner;
    List<String> patients = new ArrayList<>();
    String day;

    LoadGenerator(Map<String, String> options) {
        this.options = options;
        this.base = URI.create(required("base"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        LoadGenerator generator = new LoadGenerator(options);
        try {
            generator.setUp();
        } catch (IOException | IllegalStateException e) {
            System.err.println("load: setup failed: " + e.getMessage());
            System.exit(2);
        }
        System.exit(generator.run() ? 0 : 1);
    }

    static void usage(String problem) {
        System.err.println("load: " + problem + "\nusage: java LoadGenerator.java --base URL --user EMAIL [--concurrency N]"
                + " [--rate R] [--max-seconds S] [--max-requests N] --stop-file PATH --ready-file PATH --report PATH");
        System.exit(2);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null) {
            usage("--" + name + " is required");
        }
        return value;
    }

    int number(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    /** Signs in and creates the practitioner, schedule and patients the clients use. */
    void setUp() throws IOException, InterruptedException {
        signIn();
        String run = Long.toString(System.currentTimeMillis(), 36);
        practitioner = first(ID, call("POST", "/api/v1/practitioners",
                "{\"givenName\":\"Load\",\"familyName\":\"Roll " + run + "\",\"specialty\":\"Load test\"}", 201, null), "practitioner id");
        String hours = List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY").stream()
                .map(d -> "{\"day\":\"" + d + "\",\"start\":\"00:00\",\"end\":\"23:50\"}").collect(Collectors.joining(","));
        call("PUT", "/api/v1/practitioners/" + practitioner + "/schedule",
                "{\"slotMinutes\":10,\"weeklyHours\":[" + hours + "]}", 200, null);
        for (int i = 0; i < number("concurrency", 4); i++) {
            patients.add(first(ID, call("POST", "/api/v1/patients",
                    "{\"givenName\":\"Load\",\"familyName\":\"Client " + run + "-" + i + "\",\"birthDate\":\"1980-01-01\"}",
                    201, null), "patient id"));
        }
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        day = "from=" + tomorrow + "T00:00:00Z&to=" + tomorrow.plusDays(1) + "T00:00:00Z";
        Matcher slots = SLOT.matcher(call("GET", "/api/v1/practitioners/" + practitioner + "/availability?from=" + tomorrow
                + "T00:00:00Z&to=" + tomorrow.plusDays(30) + "T00:00:00Z", null, 200, null));
        while (slots.find()) {
            freeSlots.add(new Slot(slots.group(1), slots.group(2)));
        }
        if (freeSlots.isEmpty()) {
            throw new IllegalStateException("the new practitioner has no free slot");
        }
        System.out.println("load: signed in; practitioner with " + freeSlots.size() + " free slots, " + patients.size() + " patients");
    }

    void signIn() throws IOException, InterruptedException {
        String password = System.getenv().getOrDefault("DEMO_PASSWORD", "demo-password-123");
        String login = call("POST", "/api/v1/auth/login",
                "{\"email\":\"" + escape(required("user")) + "\",\"password\":\"" + escape(password) + "\"}", 200, null);
        token = first(TOKEN, login, "access token");
        signedInAt = System.nanoTime();
    }

    /** Signs in again when the access token is 4 minutes old (it lives 5); one client does it, the others wait. */
    synchronized void freshToken() throws IOException, InterruptedException {
        if (System.nanoTime() - signedInAt > Duration.ofMinutes(4).toNanos()) {
            signIn();
        }
    }

    /** Runs the clients to a stop condition; writes the report; true when nothing failed. */
    boolean run() throws Exception {
        int concurrency = number("concurrency", 4);
        int rate = number("rate", 40);
        int maxSeconds = number("max-seconds", 300);
        if (maxSeconds < 1 || concurrency < 1 || rate < 1) {
            usage("--max-seconds, --concurrency and --rate must be at least 1");
        }
        long maxRequests = number("max-requests", 30000);
        Path stop = Path.of(required("stop-file"));
        Instant started = Instant.now();
        Instant deadline = started.plusSeconds(maxSeconds);
        long intervalNanos = 1_000_000_000L * concurrency / rate;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            String patient = patients.get(c);
            int offset = c;
            clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                long next = System.nanoTime();
                for (int i = offset; ; i++) {
                    if (Files.exists(stop) || Instant.now().isAfter(deadline) || sent.incrementAndGet() > maxRequests) {
                        return;
                    }
                    request(Op.values()[i % Op.values().length], patient);
                    next += intervalNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }));
        }
        Files.writeString(Path.of(required("ready-file")), started.toString());
        for (Thread client : clients) {
            client.join();
        }
        Instant stopped = Instant.now();
        report(started, stopped);
        return failures.sum() == 0 && ok.sum() > 0;
    }

    void request(Op op, String patient) {
        String body = null;
        String path = switch (op) {
            case HEALTH -> "/health";
            case PATIENT -> "/api/v1/patients/" + patient;
            case SEARCH -> "/api/v1/patients/search";
            case AVAILABILITY -> "/api/v1/practitioners/" + practitioner + "/availability?" + day;
            case BOOK -> "/api/v1/appointments";
        };
        if (op == Op.SEARCH) {
            body = "{\"name\":\"Load\",\"limit\":5}";
        }
        if (op == Op.BOOK) {
            Slot slot = freeSlots.poll();
            if (slot == null) {
                op = Op.PATIENT;
                path = "/api/v1/patients/" + patient;
            } else {
                body = "{\"patientId\":\"" + patient + "\",\"practitionerId\":\"" + practitioner + "\",\"start\":\""
                        + slot.start() + "\",\"end\":\"" + slot.end() + "\"}";
            }
        }
        long t0 = System.nanoTime();
        String outcome;
        boolean good;
        try {
            freshToken();
            HttpResponse<String> response = http.send(build(body != null ? "POST" : "GET", path, body,
                    op == Op.BOOK ? UUID.randomUUID().toString() : null), HttpResponse.BodyHandlers.ofString());
            response.headers().firstValue("X-Served-By").ifPresent(s -> servedBy.computeIfAbsent(s, k -> new LongAdder()).increment());
            good = response.statusCode() == op.expected;
            Matcher code = CODE.matcher(good ? "" : response.body());
            outcome = op.label + " " + response.statusCode() + (code.find() ? " " + code.group(1) : "");
            if (!good) {
                sample(outcome + " traceId=" + response.headers().firstValue("X-Trace-Id").orElse("-")
                        + " via " + response.headers().firstValue("X-Served-By").orElse("-"));
            }
        } catch (IOException | IllegalStateException e) {
            good = false;
            outcome = op.label + " " + e.getClass().getSimpleName();
            sample(outcome + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        latenciesMicros.add((System.nanoTime() - t0) / 1000);
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        (good ? ok : failures).increment();
        if (good && op == Op.BOOK) {
            bookings.increment();
        }
    }

    void sample(String line) {
        if (failureSamples.size() < 20) {
            failureSamples.add(Instant.now() + " " + line);
        }
    }

    HttpRequest build(String method, String path, String body, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null && !path.equals("/api/v1/auth/login")) {
            b.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    /** A setup call: fails (naming the status and problem code, never the body) unless it answers {@code expected}. */
    String call(String method, String path, String body, int expected, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(build(method, path, body, idempotencyKey), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            Matcher code = CODE.matcher(r.body());
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered " + r.statusCode()
                    + (code.find() ? " " + code.group(1) : "") + ", expected " + expected);
        }
        return r.body();
    }

    static String first(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + what + " in the answer");
        }
        return m.group(1);
    }

    void report(Instant started, Instant stopped) throws IOException {
        List<Long> latencies = new ArrayList<>(latenciesMicros);
        Collections.sort(latencies);
        double seconds = Duration.between(started, stopped).toMillis() / 1000.0;
        long total = ok.sum() + failures.sum();
        Map<String, Long> byOutcome = new TreeMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k, v.sum()));
        Map<String, Long> byServer = new TreeMap<>();
        servedBy.forEach((k, v) -> byServer.put(k, v.sum()));
        StringBuilder json = new StringBuilder("{");
        json.append("\"startedAtMs\":").append(started.toEpochMilli()).append(",\"stoppedAtMs\":").append(stopped.toEpochMilli())
                .append(",\"seconds\":").append(seconds).append(",\"requests\":").append(total)
                .append(",\"ok\":").append(ok.sum()).append(",\"failures\":").append(failures.sum())
                .append(",\"bookings\":").append(bookings.sum())
                .append(",\"latencyMs\":{\"p50\":").append(percentile(latencies, 0.50)).append(",\"p99\":")
                .append(percentile(latencies, 0.99)).append(",\"max\":").append(percentile(latencies, 1.0)).append("}")
                .append(",\"byOutcome\":").append(object(byOutcome)).append(",\"servedBy\":").append(object(byServer))
                .append(",\"failureSamples\":[").append(failureSamples.stream().map(s -> "\"" + escape(s) + "\"")
                        .collect(Collectors.joining(","))).append("]}");
        Files.writeString(Path.of(required("report")), json + "\n");
        System.out.printf("load: %d requests in %.1f s (%.0f/s): %d as expected, %d failed, %d bookings%n", total, seconds,
                total / Math.max(seconds, 0.001), ok.sum(), failures.sum(), bookings.sum());
        System.out.printf("load: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(latencies, 0.5),
                percentile(latencies, 0.99), percentile(latencies, 1.0));
        byOutcome.forEach((k, v) -> System.out.printf("load:   %-60s %7d%n", k, v));
        byServer.forEach((k, v) -> System.out.printf("load:   answered by %-40s %7d%n", k, v));
        failureSamples.forEach(s -> System.out.println("load: failure " + s));
    }

    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    static String object(Map<String, Long> map) {
        return map.entrySet().stream().map(e -> "\"" + escape(e.getKey()) + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ");
    }
}
