package io.healthcarebackend.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.ApiTest;
import io.healthcarebackend.support.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The DB-only ceiling of {@code make bench} runs what the service really sends: for each hot path,
 * one request against this context (an API instance with Redis, audit and encryption, like the
 * bench's), its statements recorded by a {@link PgWireTap} between the data sources and PostgreSQL,
 * compared with {@code bench/ceiling/<path>.sql} by {@link CeilingDriftCheck} — the same check
 * {@code make bench} runs before its load. No timing is measured or asserted.
 *
 * <p>When this fails after a change to a hot path, update the script (and its .params.sql) to the
 * statements shown with '+', or undo the change; docs/benchmarks.md explains the files.
 */
class CeilingStatementsTest extends ApiTest {

    private static final PgWireTap TAP = tap();

    @DynamicPropertySource
    static void throughTheTap(DynamicPropertyRegistry registry) {
        String server = "jdbc:postgresql://127.0.0.1:" + TAP.port() + "/";
        registry.add("spring.datasource.url", () -> server + TestDatabase.NAME);
        registry.add("app.phi.keystore.url", () -> server + TestDatabase.KEYS_NAME);
    }

    @Test
    void theCeilingScriptsAreTheStatementsTheServiceSends() {
        Clinic clinic = newClinic("UTC");
        String token = clinic.user("RECEPTIONIST").token();
        String practitioner = clinic.practitioner();
        // A name that 20 patients bear: the search finds a full page of 20, as in the bench.
        List<String> patients = new ArrayList<>(IntStream.range(0, 20)
                .mapToObj(i -> clinic.patient("Given" + i, "Ceilingname", "1980-01-" + (10 + i))).toList());
        var fixture = new CeilingDriftCheck.Fixture("http://127.0.0.1:" + port, token, patients.subList(0, 2),
                practitioner, "Ceilingname", LocalDate.now(ZoneOffset.UTC).plusDays(400));
        var check = new CeilingDriftCheck(TAP, fixture, Path.of("bench/ceiling"));

        List<String> drifted = new ArrayList<>();
        for (CeilingDriftCheck.HotPath path : CeilingDriftCheck.HotPath.values()) {
            CeilingDriftCheck.Result result = check.check(path);
            assertThat(result.captured()).as("statements captured for %s", path.request).isNotEmpty();
            if (!result.matches()) {
                drifted.add(CeilingDriftCheck.report(result, Path.of("bench/ceiling")));
            }
        }
        assertThat(drifted).as(String.join("\n", drifted)).isEmpty();
    }

    private static PgWireTap tap() {
        try {
            return new PgWireTap(TestDatabase.HOST, Integer.parseInt(TestDatabase.PORT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
