package io.healthcarebackend.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that the DB-only ceiling of {@code make bench} still runs what the service really sends:
 * for each hot path it makes one request (after one like it, so caches are warm as under load),
 * records through a {@link PgWireTap} every statement the service sends to PostgreSQL because of
 * it, and compares them with the path's pgbench script {@code bench/ceiling/<path>.sql}.
 *
 * <p>Both sides are normalised the same way: whitespace collapsed, a trailing {@code ;} dropped,
 * parameters ({@code $1} in the service's statements, {@code :name} in the scripts) written
 * {@code $?}. A round trip that carries more than one statement (a JDBC batch) is shown between
 * {@code \startpipeline} and {@code \endpipeline}, as pgbench writes it. A captured transaction
 * (or statement outside one) is left out when it is periodic background work
 * ({@code bench/ceiling/background.sql}); statements a steady state serves from a short-lived cache
 * ({@code bench/ceiling/cached.sql}: break-glass grants for a second, schedules, settings, keys) are
 * left out where a recording catches a cache miss; and so are empty statements (the connection pool's
 * liveness check, sent only for connections idle for more than half a second, so not under load).
 * Transactions on different connections (the request's, the audit writer's, the staff-event
 * relay's) may interleave in any order, so the comparison matches whole transactions; the diff
 * shows them in the script's order.
 *
 * <p>A periodic job that is not in background.sql and happens to run during the capture would look
 * like drift, so a path is captured up to three times and fails only if no capture matches.
 *
 * <p>Used by {@code scripts/bench.sh} (from source, plain JDK: {@code java CeilingDriftCheck.java
 * --base-url … --tap-port …}; the service is started with its database port pointing at the tap) and by
 * {@code CeilingStatementsTest} in {@code make test}.
 */
public final class CeilingDriftCheck {

    private static final int ATTEMPTS = 3;
    private static final Duration SETTLE = Duration.ofMillis(300);
    private static final Pattern SCRIPT_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");
    private static final Pattern SERVICE_PARAMETER = Pattern.compile("\\$\\d+");
    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final String START_PIPELINE = "\\startpipeline";
    private static final String END_PIPELINE = "\\endpipeline";

    /** The hot paths, each with its pgbench script {@code bench/ceiling/<file>.sql}. */
    public enum HotPath {
        PATIENT_READ("patient-read", "GET /api/v1/patients/{id}"),
        PATIENT_SEARCH("patient-search", "POST /api/v1/patients/search (20 results)"),
        BOOKING("booking", "POST /api/v1/appointments with an Idempotency-Key"),
        AVAILABILITY("availability", "GET /api/v1/practitioners/{id}/availability (7 days)");

        public final String file;
        public final String request;

        HotPath(String file, String request) {
            this.file = file;
            this.request = request;
        }
    }

    /**
     * What the requests need: a signed-in staff member's token, two patients, a practitioner who
     * works 08:00-18:00 UTC at least, a name that finds 20 patients, and a day on which the
     * practitioner has free slots for the check's bookings (none of the load's).
     */
    public record Fixture(String baseUrl, String token, List<String> patients, String practitioner,
            String searchName, LocalDate bookingDay) {
    }

    /** The outcome for one path: the normalised statements of each side, and their diff when they differ. */
    public record Result(HotPath path, boolean matches, List<String> expected, List<String> captured,
            List<String> rawCaptured, String diff) {
    }

    /** A transaction, or a statement outside one: its normalised lines and the statements as sent. */
    record Unit(List<String> lines, List<String> raw) {
    }

    private final PgWireTap tap;
    private final Fixture fixture;
    private final Path ceilingDir;
    private final List<String> background;
    private final List<String> cached;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger bookings = new AtomicInteger();

    public CeilingDriftCheck(PgWireTap tap, Fixture fixture, Path ceilingDir) {
        this.tap = tap;
        this.fixture = fixture;
        this.ceilingDir = ceilingDir;
        this.background = statements(read(ceilingDir.resolve("background.sql"))).stream()
                .map(CeilingDriftCheck::normaliseService).toList();
        this.cached = statements(read(ceilingDir.resolve("cached.sql"))).stream()
                .map(CeilingDriftCheck::normaliseService).toList();
    }

    /** Checks one path: a warm-up request, then up to three captured ones until one matches. */
    public Result check(HotPath path) {
        List<String> expected = expected(path);
        Result last = null;
        request(path); // warm-up: caches (schedules, settings, keys) filled as in a steady state
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            settle();
            long mark = tap.mark();
            request(path);
            settle();
            List<Unit> others = units(tap.since(mark)).stream().filter(u -> !isBackground(u.lines()))
                    .map(u -> withoutCached(u, cached)).filter(u -> !u.lines().isEmpty()).toList();
            List<List<String>> capturedUnits = others.stream().map(Unit::lines).toList();
            List<String> captured = capturedUnits.stream().flatMap(List::stream).toList();
            List<String> raw = others.stream().flatMap(u -> u.raw().stream()).toList();
            String diff = compare(expected, capturedUnits);
            boolean matches = diff.isEmpty();
            last = new Result(path, matches, expected, captured, raw, diff);
            if (matches) {
                return last;
            }
        }
        return last;
    }

    /** The script's statements, normalised. */
    public List<String> expected(HotPath path) {
        return statements(read(ceilingDir.resolve(path.file + ".sql"))).stream()
                .map(CeilingDriftCheck::normaliseScript).toList();
    }

    // ---- the requests

    private void request(HotPath path) {
        String base = fixture.baseUrl();
        HttpRequest.Builder request = switch (path) {
            case PATIENT_READ -> HttpRequest.newBuilder(URI.create(base + "/api/v1/patients/" + fixture.patients().get(0)))
                    .GET();
            case PATIENT_SEARCH -> HttpRequest.newBuilder(URI.create(base + "/api/v1/patients/search"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + fixture.searchName()
                            + "\",\"limit\":20}"));
            case BOOKING -> {
                int i = bookings.getAndIncrement();
                Instant start = fixture.bookingDay().atTime(8, 0).toInstant(ZoneOffset.UTC)
                        .plus(Duration.ofMinutes(30L * i));
                String body = "{\"patientId\":\"" + fixture.patients().get(i % fixture.patients().size())
                        + "\",\"practitionerId\":\"" + fixture.practitioner() + "\",\"start\":\"" + start
                        + "\",\"end\":\"" + start.plus(Duration.ofMinutes(30)) + "\"}";
                yield HttpRequest.newBuilder(URI.create(base + "/api/v1/appointments"))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", "ceiling-drift-check-" + UUID.randomUUID())
                        .POST(HttpRequest.BodyPublishers.ofString(body));
            }
            case AVAILABILITY -> {
                Instant from = LocalDate.now(ZoneOffset.UTC).plusDays(7).atStartOfDay().toInstant(ZoneOffset.UTC);
                yield HttpRequest.newBuilder(URI.create(base + "/api/v1/practitioners/" + fixture.practitioner()
                        + "/availability?from=" + from + "&to=" + from.plus(Duration.ofDays(7)))).GET();
            }
        };
        HttpResponse<String> response = send(request.header("Authorization", "Bearer " + fixture.token())
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)));
        int expected = path == HotPath.BOOKING ? 201 : 200;
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path.request + " answered " + response.statusCode() + " "
                    + response.body());
        }
        if (path == HotPath.PATIENT_SEARCH && count(response.body(), "\"id\"") != 20) {
            throw new IllegalStateException("the search for \"" + fixture.searchName() + "\" must find 20 patients: "
                    + response.body());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the tap has seen nothing for {@link #SETTLE} (asynchronous work after the answer: the relay). */
    private void settle() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long seen = tap.mark();
        while (System.nanoTime() < deadline) {
            sleep(SETTLE);
            long now = tap.mark();
            if (now == seen) {
                return;
            }
            seen = now;
        }
    }

    // ---- normalising and comparing

    /**
     * Transactions (or statements outside one) in the order they started, each as its normalised
     * lines, empty statements left out. Statements of one round trip beyond the first are wrapped
     * in pipeline markers.
     */
    static List<Unit> units(List<PgWireTap.Sent> sent) {
        Map<Long, List<PgWireTap.Sent>> flights = new HashMap<>();
        Map<Long, Unit> open = new HashMap<>();
        Map<Long, Long> openedAt = new HashMap<>();
        Map<Long, Unit> done = new java.util.TreeMap<>();
        for (PgWireTap.Sent s : sent) {
            long c = s.connection();
            if (!s.isSync()) {
                if (!s.sql().isBlank()) {
                    flights.computeIfAbsent(c, k -> new ArrayList<>()).add(s);
                }
                continue;
            }
            List<PgWireTap.Sent> flight = flights.remove(c);
            if (flight == null || flight.isEmpty()) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            if (flight.size() > 1) {
                lines.add(START_PIPELINE);
            }
            flight.forEach(f -> lines.add(normaliseService(f.sql())));
            if (flight.size() > 1) {
                lines.add(END_PIPELINE);
            }
            Unit unit = open.computeIfAbsent(c, k -> new Unit(new ArrayList<>(), new ArrayList<>()));
            if (unit.lines().isEmpty()) {
                openedAt.put(c, flight.getFirst().seq());
            }
            unit.lines().addAll(lines);
            flight.forEach(f -> unit.raw().add(f.sql().strip()));
            if (complete(unit.lines())) {
                done.put(openedAt.remove(c), open.remove(c));
            }
        }
        open.forEach((c, unit) -> done.put(openedAt.get(c), unit)); // cut off by the end of the capture
        return new ArrayList<>(done.values());
    }

    /** The same grouping for a script's normalised statements. */
    static List<List<String>> group(List<String> lines) {
        List<List<String>> units = new ArrayList<>();
        List<String> unit = null;
        for (String line : lines) {
            if (unit == null) {
                unit = new ArrayList<>();
            }
            unit.add(line);
            if (complete(unit)) {
                units.add(unit);
                unit = null;
            }
        }
        if (unit != null) {
            units.add(unit);
        }
        return units;
    }

    /** A statement outside a transaction (with its round trip), or a transaction up to its end. */
    private static boolean complete(List<String> unit) {
        List<String> statements = unit.stream().filter(l -> !isMarker(l)).toList();
        return !inPipeline(unit) && !statements.isEmpty()
                && (!isBegin(statements.getFirst()) || isEnd(statements.getLast()));
    }

    private static boolean isMarker(String line) {
        return line.equals(START_PIPELINE) || line.equals(END_PIPELINE);
    }

    private static boolean inPipeline(List<String> unit) {
        return unit.lastIndexOf(START_PIPELINE) > unit.lastIndexOf(END_PIPELINE);
    }

    private static boolean isBegin(String line) {
        String l = line.toLowerCase(java.util.Locale.ROOT);
        return l.equals("begin") || l.startsWith("begin ") || l.startsWith("start transaction");
    }

    private static boolean isEnd(String line) {
        String l = line.toLowerCase(java.util.Locale.ROOT);
        return l.equals("commit") || l.equals("rollback") || l.equals("end") || l.startsWith("commit ")
                || l.startsWith("rollback ");
    }

    /**
     * The unit without the statements a steady state serves from a cache (prefixes); empty when
     * nothing is left but BEGIN, the clinic's set_config and COMMIT (a transaction opened for a
     * cache miss only).
     */
    static Unit withoutCached(Unit unit, List<String> cached) {
        List<String> lines = unit.lines().stream().filter(l -> cached.stream().noneMatch(l::startsWith)).toList();
        if (lines.size() == unit.lines().size()) {
            return unit;
        }
        if (lines.stream().allMatch(l -> isBegin(l) || isEnd(l) || isMarker(l)
                || l.startsWith("select set_config('app.clinic_id'"))) {
            return new Unit(List.of(), List.of());
        }
        List<String> raw = unit.raw().stream()
                .filter(r -> cached.stream().noneMatch(normaliseService(r)::startsWith)).toList();
        return new Unit(lines, raw);
    }

    private boolean isBackground(List<String> unit) {
        String first = unit.stream().filter(l -> !isBegin(l) && !isMarker(l)).findFirst().orElse("");
        return background.stream().anyMatch(first::startsWith);
    }

    /**
     * Empty when the captured transactions are the script's (in any order), else a line diff of
     * the script against them, the captured ones arranged in the script's order: identical ones
     * first, then each remaining one where the script's most alike one is (most words in common),
     * the others at the end.
     */
    static String compare(List<String> script, List<List<String>> captured) {
        List<List<String>> expected = group(script);
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        expected.forEach(u -> counts.merge(u, 1, Integer::sum));
        captured.forEach(u -> counts.merge(u, -1, Integer::sum));
        if (counts.values().stream().allMatch(v -> v == 0)) {
            return "";
        }
        List<List<String>> left = new ArrayList<>(captured);
        List<List<String>> slots = new ArrayList<>();
        for (List<String> unit : expected) {
            int i = left.indexOf(unit);
            slots.add(i >= 0 ? left.remove(i) : null);
        }
        for (int e = 0; e < expected.size(); e++) {
            if (slots.get(e) != null) {
                continue;
            }
            int best = -1;
            int bestScore = 0;
            for (int c = 0; c < left.size(); c++) {
                int score = common(expected.get(e), left.get(c));
                if (score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            if (best >= 0) {
                slots.set(e, left.remove(best));
            }
        }
        List<String> shown = new ArrayList<>();
        slots.stream().filter(java.util.Objects::nonNull).forEach(shown::addAll);
        left.forEach(shown::addAll);
        return diff(script, shown);
    }

    /** Words two units' statements have in common (BEGIN and COMMIT aside): how alike they are. */
    private static int common(List<String> a, List<String> b) {
        List<String> rest = words(b);
        int n = 0;
        for (String word : words(a)) {
            if (rest.remove(word)) {
                n++;
            }
        }
        return n;
    }

    private static List<String> words(List<String> unit) {
        List<String> words = new ArrayList<>();
        unit.stream().filter(l -> !isBegin(l) && !isEnd(l)).forEach(l -> words.addAll(List.of(l.split(" "))));
        return words;
    }

    static String normaliseScript(String sql) {
        return SCRIPT_PARAMETER.matcher(squash(sql)).replaceAll(Matcher.quoteReplacement("$?"));
    }

    static String normaliseService(String sql) {
        return SERVICE_PARAMETER.matcher(squash(sql)).replaceAll(Matcher.quoteReplacement("$?"));
    }

    private static String squash(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s;
    }

    /**
     * The statements of a script: full-line {@code --} comments and blank lines dropped, a
     * statement ends at a line ending with {@code ;}, pgbench meta-commands ({@code \…}) are
     * lines of their own.
     */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("--")) {
                continue;
            }
            if (l.startsWith("\\") && current.isEmpty()) {
                statements.add(l);
                continue;
            }
            current.append(current.isEmpty() ? "" : " ").append(l);
            if (l.endsWith(";")) {
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            statements.add(current.toString());
        }
        return statements;
    }

    /** A line diff (longest common subsequence): "  " both, "- " script only, "+ " service only. */
    static String diff(List<String> script, List<String> service) {
        int n = script.size();
        int m = service.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = script.get(i).equals(service.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && script.get(i).equals(service.get(j))) {
                out.append("  ").append(script.get(i++)).append('\n');
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.append("- ").append(script.get(i++)).append('\n');
            } else {
                out.append("+ ").append(service.get(j++)).append('\n');
            }
        }
        return out.toString();
    }

    /** A readable report of a failed path: what to look at and the diff. */
    public static String report(Result r, Path ceilingDir) {
        return "DRIFT: " + ceilingDir.resolve(r.path().file + ".sql") + " no longer matches what the service sends for "
                + r.path().request + ".\n"
                + "Lines: '- ' only in the script, '+ ' only sent by the service ($? is a parameter; transactions are "
                + "matched whole and in any order, a changed one is shown in the script's place).\n"
                + "Update the script (and its .params.sql) to what the service sends, or fix the service.\n"
                + r.diff();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the command behind scripts/bench.sh

    /**
     * {@code --tap-port P} (where the service's database connections go), {@code --database-host},
     * {@code --database-port} (the real server, 127.0.0.1:5432), {@code --base-url} (the service
     * using the tap), {@code --seed-dir} (bench/seed.py's output: ids and the search name),
     * {@code --email} (default: the first of the seed's users.txt; password from BENCH_PASSWORD), {@code --ceiling-dir}, {@code --out} (where
     * each path's captured statements are written), {@code --wait} (seconds to wait for the service).
     * Exit status 0 if every path matches, 1 if one drifted, 2 on any other failure.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path ceilingDir = Path.of(opt.getOrDefault("ceiling-dir", "bench/ceiling"));
        Path seed = Path.of(opt.getOrDefault("seed-dir", "target/bench/seed"));
        Path out = Path.of(opt.getOrDefault("out", "target/bench/drift"));
        String base = opt.getOrDefault("base-url", "http://127.0.0.1:18089");
        if (!"127.0.0.1".equals(URI.create(base).getHost())) {
            throw new IllegalArgumentException("--base-url must target 127.0.0.1, got " + base);
        }
        try (PgWireTap tap = new PgWireTap(opt.getOrDefault("database-host", "127.0.0.1"),
                Integer.parseInt(opt.getOrDefault("database-port", "5432")),
                Integer.parseInt(opt.getOrDefault("tap-port", "15433")))) {
            System.out.println("drift check: relaying 127.0.0.1:" + tap.port() + " to the database; waiting for "
                    + base);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(opt.getOrDefault("wait", "180")))
                    .toNanos();
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) {
                    System.err.println("drift check: the service at " + base + " did not come up");
                    System.exit(2);
                }
                Thread.sleep(250);
            }
            String email = opt.containsKey("email") ? opt.get("email")
                    : Files.readAllLines(seed.resolve("users.txt")).getFirst().strip();
            String login = "{\"email\":\"" + email + "\",\"password\":\"" + System.getenv("BENCH_PASSWORD") + "\"}";
            HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher token = TOKEN.matcher(signedIn.body());
            if (signedIn.statusCode() != 200 || !token.find()) {
                System.err.println("drift check: sign-in failed: " + signedIn.statusCode() + " " + signedIn.body());
                System.exit(2);
            }
            List<String> patients = Files.readAllLines(seed.resolve("patients.txt")).stream()
                    .filter(s -> !s.isBlank()).toList();
            List<String> practitioners = Files.readAllLines(seed.resolve("practitioners.txt")).stream()
                    .filter(s -> !s.isBlank()).toList();
            String name = Files.readAllLines(seed.resolve("search-names.txt")).getFirst().strip();
            // A day far beyond the load's bookings (which fill the calendar from tomorrow on).
            Fixture fixture = new Fixture(base, token.group(1), patients.subList(0, 2), practitioners.getFirst(), name,
                    LocalDate.now(ZoneOffset.UTC).plusDays(400));
            CeilingDriftCheck check = new CeilingDriftCheck(tap, fixture, ceilingDir);
            Files.createDirectories(out);
            boolean drift = false;
            for (HotPath path : HotPath.values()) {
                Result r = check.check(path);
                Files.write(out.resolve(path.file + ".captured.sql"), r.rawCaptured().stream()
                        .map(s -> s + ";").toList());
                if (r.matches()) {
                    System.out.println("drift check: " + path.file + ": the script matches the service ("
                            + r.expected().size() + " statements)");
                } else {
                    drift = true;
                    System.out.println(report(r, ceilingDir));
                    Files.writeString(out.resolve(path.file + ".diff"), r.diff());
                }
            }
            System.exit(drift ? 1 : 0);
        } catch (RuntimeException e) {
            System.err.println("drift check: " + e.getMessage());
            System.exit(2);
        }
    }
}
