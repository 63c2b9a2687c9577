package io.healthcarebackend.authz;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A restricted patient's data opens nowhere without break-glass: every route that answers data
 * linked to a patient (taken from the application's own route inventory, so a new route fails
 * this test until it is classified here) is called by staff without a grant, then with one.
 * Routes about one patient or one appointment refuse with 403 EMERGENCY_ACCESS_REQUIRED (and
 * change nothing); lists leave out the patient and the free text, as patient search shows only
 * that a restricted record exists. With a grant, everything opens.
 */
class RestrictedRecordRoutesTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    /** Patient-linked routes that answer nothing of an existing patient's data, and why. */
    private static final Map<String, String> NOT_PATIENT_DATA = Map.of(
            "POST /api/v1/patients", "creates a new record",
            "POST /api/v1/patients/{id}/emergency-access", "the break-glass request itself",
            "PUT /api/v1/patients/{id}/restriction", "a clinic administrator sets the flag; answers the flag only",
            "DELETE /api/v1/patients/{id}", "erasure by a clinic administrator; answers nothing");

    @Autowired
    ApplicationContext context;

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);

    /** The restricted patient's world, and who calls. */
    private record World(Clinic clinic, String patient, String practitioner, List<String> appointments,
            String staff, String compliance, String familyName, String reason) {
    }

    private enum Kind {
        /** About one patient or appointment: refused without a grant, answered with one. */
        REFUSED,
        /** A list: answered without a grant but without the patient or the text; with both given one. */
        LISTED,
        /** Never shows a patient (availability): same answer, no patient either way. */
        NEVER_SHOWN
    }

    private record Probe(String route, Kind kind, boolean asCompliance, Function<World, Api.Response> call) {
    }

    private List<Probe> probes() {
        return List.of(
                new Probe("GET /api/v1/patients/{id}", Kind.REFUSED, false,
                        w -> api.get("/api/v1/patients/" + w.patient(), w.staff())),
                new Probe("PATCH /api/v1/patients/{id}", Kind.REFUSED, false,
                        w -> api.patch("/api/v1/patients/" + w.patient(), w.staff(), Map.of("givenName", "Vera"))),
                new Probe("PUT /api/v1/patients/{id}/push-token", Kind.REFUSED, false,
                        w -> api.put("/api/v1/patients/" + w.patient() + "/push-token", w.staff(),
                                Map.of("token", "device-token-" + run))),
                new Probe("DELETE /api/v1/patients/{id}/push-token", Kind.REFUSED, false,
                        w -> api.delete("/api/v1/patients/" + w.patient() + "/push-token", w.staff())),
                new Probe("GET /api/v1/patients/{id}/access-report", Kind.REFUSED, true,
                        w -> api.get("/api/v1/patients/" + w.patient() + "/access-report", w.compliance())),
                new Probe("GET /api/v1/patients", Kind.LISTED, false,
                        w -> api.get("/api/v1/patients", w.staff())),
                new Probe("POST /api/v1/patients/search", Kind.LISTED, false,
                        w -> api.post("/api/v1/patients/search", w.staff(), Map.of("name", w.familyName()))),
                new Probe("POST /api/v1/appointments", Kind.REFUSED, false,
                        w -> w.clinic().book(w.staff(), w.patient(), w.practitioner(), w.clinic().at(8, 10, 0))),
                new Probe("GET /api/v1/appointments", Kind.LISTED, false,
                        w -> api.get("/api/v1/appointments?limit=100", w.staff())),
                new Probe("GET /api/v1/appointments", Kind.LISTED, false,
                        w -> api.get("/api/v1/appointments?practitionerId=" + w.practitioner(), w.staff())),
                new Probe("GET /api/v1/appointments", Kind.REFUSED, false,
                        w -> api.get("/api/v1/appointments?patientId=" + w.patient(), w.staff())),
                new Probe("GET /api/v1/appointments/{id}", Kind.REFUSED, false,
                        w -> api.get("/api/v1/appointments/" + w.appointments().get(0), w.staff())),
                new Probe("GET /api/v1/appointments/{id}/notifications", Kind.REFUSED, false,
                        w -> api.get("/api/v1/appointments/" + w.appointments().get(0) + "/notifications",
                                w.staff())),
                new Probe("POST /api/v1/appointments/{id}/reschedule", Kind.REFUSED, false,
                        w -> api.post("/api/v1/appointments/" + w.appointments().get(0) + "/reschedule", w.staff(),
                                Map.of("start", w.clinic().at(7, 10, 0).toString(),
                                        "end", w.clinic().at(7, 10, 0).plus(SLOT).toString()))),
                new Probe("POST /api/v1/appointments/{id}/cancel", Kind.REFUSED, false,
                        w -> api.post("/api/v1/appointments/" + w.appointments().get(1) + "/cancel", w.staff(),
                                Map.of("reason", "walk test"))),
                new Probe("POST /api/v1/appointments/{id}/check-in", Kind.REFUSED, false,
                        w -> api.post("/api/v1/appointments/" + w.appointments().get(2) + "/check-in", w.staff(), null)),
                new Probe("POST /api/v1/appointments/{id}/complete", Kind.REFUSED, false,
                        w -> api.post("/api/v1/appointments/" + w.appointments().get(3) + "/complete", w.staff(), null)),
                new Probe("POST /api/v1/appointments/{id}/no-show", Kind.REFUSED, false,
                        w -> api.post("/api/v1/appointments/" + w.appointments().get(4) + "/no-show", w.staff(), null)),
                new Probe("GET /api/v1/practitioners/{id}/availability", Kind.NEVER_SHOWN, false,
                        w -> api.get("/api/v1/practitioners/" + w.practitioner() + "/availability?from="
                                + w.clinic().at(1, 0, 0) + "&to=" + w.clinic().at(9, 0, 0), w.staff())));
    }

    /** Routes answering data linked to a patient: about patients, their appointments, a practitioner's slots. */
    private static boolean patientLinked(String route) {
        String path = route.substring(route.indexOf(' ') + 1);
        return path.startsWith("/api/v1/patients") || path.startsWith("/api/v1/appointments")
                || path.endsWith("/availability");
    }

    @Test
    void everyPatientLinkedRouteIsWalked() {
        Set<String> linked = RouteInventory.of(context).stream().filter(RestrictedRecordRoutesTest::patientLinked)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> classified = new TreeSet<>(NOT_PATIENT_DATA.keySet());
        probes().forEach(p -> classified.add(p.route()));
        assertThat(classified).as("patient-linked routes: walk each in probes() or say why it shows no patient "
                + "data in NOT_PATIENT_DATA").isEqualTo(linked);
        assertThat(linked).hasSizeGreaterThan(15);
    }

    @Test
    void withoutAGrantNothingOpensAndWithOneEverythingDoes() {
        World w = world();
        List<String> problems = new ArrayList<>();

        for (Probe probe : probes()) {
            Api.Response closed = probe.call().apply(w);
            String what = "without a grant: " + probe.route() + " -> " + closed;
            assertThat(closed.raw().body()).as(what).doesNotContain(w.reason()).doesNotContain("Vera");
            switch (probe.kind()) {
                case REFUSED -> assertProblem(closed, 403, "EMERGENCY_ACCESS_REQUIRED");
                case LISTED -> {
                    assertThat(closed.status()).as(what).isEqualTo(200);
                    if (probe.route().contains("appointments")) {
                        assertThat(closed.raw().body()).as(what).doesNotContain(w.patient());
                        assertThat(closed.items()).as(what).filteredOn(a -> a.path("restricted").asBoolean())
                                .extracting(a -> a.path("id").asString()).containsAll(w.appointments());
                    }
                }
                case NEVER_SHOWN -> assertThat(closed.status()).as(what).isEqualTo(200);
            }
        }
        // Nothing was changed by the refused calls.
        grant(w, w.staff());
        grant(w, w.compliance());
        for (String id : w.appointments()) {
            Api.Response a = api.get("/api/v1/appointments/" + id, w.staff());
            assertThat(a.body().path("version").asInt()).as("%s", a).isEqualTo(id.equals(w.appointments().get(3)) ? 1 : 0);
        }
        assertThat(api.get("/api/v1/appointments?patientId=" + w.patient(), w.staff()).items())
                .hasSize(w.appointments().size());

        for (Probe probe : probes()) {
            Api.Response open = probe.call().apply(w);
            String what = "with a grant: " + probe.route() + " -> " + open;
            if (open.status() / 100 != 2) {
                problems.add(what);
                continue;
            }
            if (probe.kind() == Kind.LISTED) {
                assertThat(open.raw().body()).as(what).contains(probe.route().contains("appointments")
                        ? w.reason() : "Vera");
            }
            if (probe.route().equals("GET /api/v1/appointments/{id}")) {
                assertThat(open.text("reason")).isEqualTo(w.reason());
            }
        }
        assertThat(problems).as("routes that stay closed with a grant").isEmpty();
    }

    private void grant(World w, String token) {
        Api.Response granted = api.post("/api/v1/patients/" + w.patient() + "/emergency-access", token,
                Map.of("reason", "route walk"));
        assertThat(granted.status()).as("%s", granted).isEqualTo(200);
    }

    /** A restricted patient with five appointments (one checked in), booked before the restriction. */
    private World world() {
        Clinic clinic = newClinic();
        String family = "Restricted" + run;
        String reason = "Canaryrestricted " + run;
        String patient = clinic.patient("Vera", family, "1970-05-05");
        String practitioner = clinic.practitioner();
        List<String> appointments = new ArrayList<>();
        for (int day = 2; day <= 6; day++) {
            Instant start = clinic.at(day, 10, 0);
            Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient,
                    "practitionerId", practitioner, "start", start.toString(), "end", start.plus(SLOT).toString(),
                    "reason", reason));
            assertThat(booked.status()).as("%s", booked).isEqualTo(201);
            appointments.add(booked.text("id"));
        }
        assertThat(api.post("/api/v1/appointments/" + appointments.get(3) + "/check-in", clinic.adminToken, null)
                .status()).isEqualTo(200);
        assertThat(api.put("/api/v1/patients/" + patient + "/restriction", clinic.adminToken,
                Map.of("restricted", true)).status()).isEqualTo(200);
        return new World(clinic, patient, practitioner, List.copyOf(appointments),
                clinic.user("PRACTITIONER").token(), clinic.user("COMPLIANCE_OFFICER").token(), family, reason);
    }
}
