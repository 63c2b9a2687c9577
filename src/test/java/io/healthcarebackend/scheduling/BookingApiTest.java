package io.healthcarebackend.scheduling;

import static io.healthcarebackend.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Api;
import io.healthcarebackend.support.ApiTest;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Appointments and Availability sections of api.md, driven over HTTP against the real service.
 * Every test builds its own clinic; the practitioner of {@link Clinic#practitioner()} works every
 * day 08:00-18:00 in the clinic's zone with 30-minute slots, and all bookings are at least one day
 * ahead so "now" never clips a slot.
 */
class BookingApiTest extends ApiTest {

    private static final Duration SLOT = Duration.ofMinutes(30);

    // ---------------------------------------------------------------- booking and reading

    @Test
    void bookingAFreeSlotReturns201WithStatusBooked() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(1, 10, 0);

        Api.Response booked = api.post("/api/v1/appointments", clinic.adminToken, Map.of("patientId", patient,
                "practitionerId", practitioner, "start", start.toString(), "end", start.plus(SLOT).toString(),
                "reason", "Annual check-up"));

        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        assertThat(booked.text("status")).isEqualTo("BOOKED");
        assertThat(booked.text("id")).isNotBlank();
        assertThat(booked.text("patientId")).isEqualTo(patient);
        assertThat(booked.text("practitionerId")).isEqualTo(practitioner);
        assertThat(instant(booked, "start")).isEqualTo(start);
        assertThat(instant(booked, "end")).isEqualTo(start.plus(SLOT));
        assertThat(booked.text("reason")).isEqualTo("Annual check-up");
        assertThat(booked.header("Location")).endsWith("/api/v1/appointments/" + booked.text("id"));
    }

    @Test
    void aBookedAppointmentCanBeReadById() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(1, 11, 30);
        String id = booked(clinic, patient, practitioner, start);

        Api.Response read = get(clinic.adminToken, id);

        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.text("id")).isEqualTo(id);
        assertThat(read.text("status")).isEqualTo("BOOKED");
        assertThat(read.text("patientId")).isEqualTo(patient);
        assertThat(read.text("practitionerId")).isEqualTo(practitioner);
        assertThat(instant(read, "start")).isEqualTo(start);
        assertThat(instant(read, "end")).isEqualTo(start.plus(SLOT));
    }

    @Test
    void readingAnUnknownAppointmentIsNotFound() {
        Clinic clinic = newClinic();

        assertProblem(get(clinic.adminToken, UUID.randomUUID().toString()), 404, "NOT_FOUND");
    }

    // ---------------------------------------------------------------- listing

    @Test
    void listingFiltersByPractitionerPatientTimeRangeAndStatus() {
        Clinic clinic = newClinic();
        String drX = clinic.practitioner();
        String drY = clinic.practitioner();
        String pat = clinic.patient("Pat", "One", "1970-01-01");
        String quinn = clinic.patient("Quinn", "Two", "1980-02-02");
        String a1 = booked(clinic, pat, drX, clinic.at(1, 9, 0));
        String a2 = booked(clinic, quinn, drY, clinic.at(1, 9, 0));
        String a3 = booked(clinic, quinn, drX, clinic.at(2, 10, 0));
        String a4 = booked(clinic, pat, drY, clinic.at(3, 11, 0));
        assertThat(cancel(clinic.adminToken, a4).status()).isEqualTo(200);
        String day2 = midnight(clinic, 2).toString();
        String day3 = midnight(clinic, 3).toString();

        assertThat(listIds(clinic.adminToken, "")).containsExactlyInAnyOrder(a1, a2, a3, a4);
        assertThat(listIds(clinic.adminToken, "practitionerId=" + drX)).containsExactlyInAnyOrder(a1, a3);
        assertThat(listIds(clinic.adminToken, "patientId=" + pat)).containsExactlyInAnyOrder(a1, a4);
        assertThat(listIds(clinic.adminToken, "practitionerId=" + drX + "&patientId=" + quinn)).containsExactly(a3);
        assertThat(listIds(clinic.adminToken, "from=" + day2)).containsExactlyInAnyOrder(a3, a4);
        assertThat(listIds(clinic.adminToken, "to=" + day2)).containsExactlyInAnyOrder(a1, a2);
        assertThat(listIds(clinic.adminToken, "from=" + day2 + "&to=" + day3)).containsExactly(a3);
        assertThat(listIds(clinic.adminToken, "status=CANCELLED")).containsExactly(a4);
        assertThat(listIds(clinic.adminToken, "status=BOOKED")).containsExactlyInAnyOrder(a1, a2, a3);
        assertThat(listIds(clinic.adminToken, "status=BOOKED&patientId=" + pat)).containsExactly(a1);
        assertThat(listIds(clinic.adminToken, "practitionerId=" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void listItemsCarryTheAppointmentFieldsAndComeInStartOrder() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        String later = booked(clinic, patient, practitioner, clinic.at(2, 15, 0));
        String earlier = booked(clinic, patient, practitioner, clinic.at(1, 9, 30));

        Api.Response list = api.get("/api/v1/appointments", clinic.adminToken);

        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(list.text("next")).isNull();
        JsonNode first = list.body().path("items").get(0);
        assertThat(first.path("id").asString()).isEqualTo(earlier);
        assertThat(first.path("status").asString()).isEqualTo("BOOKED");
        assertThat(first.path("patientId").asString()).isEqualTo(patient);
        assertThat(first.path("practitionerId").asString()).isEqualTo(practitioner);
        assertThat(Instant.parse(first.path("start").asString())).isEqualTo(clinic.at(1, 9, 30));
        assertThat(list.body().path("items").get(1).path("id").asString()).isEqualTo(later);
    }

    @Test
    void keysetPagingVisitsEveryAppointmentExactlyOnce() {
        Clinic clinic = newClinic();
        String drX = clinic.practitioner();
        String drY = clinic.practitioner();
        String pat = clinic.patient("Pat", "One", "1970-01-01");
        String quinn = clinic.patient("Quinn", "Two", "1980-02-02");
        List<String> booked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Two appointments share each start time, so the cursor must break ties on id.
            booked.add(booked(clinic, pat, drX, clinic.at(1, 9 + i, 0)));
            booked.add(booked(clinic, quinn, drY, clinic.at(1, 9 + i, 0)));
        }

        List<String> paged = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response page = api.get("/api/v1/appointments?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    clinic.adminToken);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            JsonNode items = page.body().path("items");
            assertThat(items.size()).isLessThanOrEqualTo(3);
            for (JsonNode item : items) {
                paged.add(item.path("id").asString());
                starts.add(Instant.parse(item.path("start").asString()));
            }
            cursor = page.text("next");
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(4);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(booked);
        assertThat(starts).isSorted();
        assertThat(paged).containsExactlyElementsOf(listIds(clinic.adminToken, "limit=200"));
    }

    @Test
    void keysetPagingCombinesWithFilters() {
        Clinic clinic = newClinic();
        String drX = clinic.practitioner();
        String drY = clinic.practitioner();
        String patient = clinic.patient();
        String other = clinic.patient();
        List<String> ofX = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ofX.add(booked(clinic, patient, drX, clinic.at(1, 9 + i, 0)));
            booked(clinic, other, drY, clinic.at(1, 9 + i, 0));
        }

        Api.Response first = api.get("/api/v1/appointments?practitionerId=" + drX + "&limit=2", clinic.adminToken);
        Api.Response second = api.get("/api/v1/appointments?practitionerId=" + drX + "&limit=2&cursor="
                + first.text("next"), clinic.adminToken);

        assertThat(ids(first)).containsExactlyElementsOf(ofX.subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(ofX.subList(2, 4));
        assertThat(second.text("next")).isNull();
    }

    @Test
    void listingWithAnInvalidLimitCursorOrStatusIsABadRequest() {
        Clinic clinic = newClinic();

        assertProblem(api.get("/api/v1/appointments?limit=0", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/appointments?limit=201", clinic.adminToken), 400, "INVALID_PARAMETER");
        assertProblem(api.get("/api/v1/appointments?cursor=not-a-cursor", clinic.adminToken), 400, "INVALID_CURSOR");
        assertProblem(api.get("/api/v1/appointments?status=LOST", clinic.adminToken), 400, "INVALID_PARAMETER");
    }

    // ---------------------------------------------------------------- conflicts

    @Test
    void bookingAnOverlappingSlotOfThePractitionerIsRejected() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant start = clinic.at(1, 10, 0);
        booked(clinic, clinic.patient(), practitioner, start);

        Api.Response second = clinic.book(clinic.adminToken, clinic.patient(), practitioner, start);

        assertProblem(second, 409, "SLOT_TAKEN");
        assertThat(listIds(clinic.adminToken, "practitionerId=" + practitioner)).hasSize(1);
    }

    @Test
    void bookingAPatientWhoIsBusyWithAnotherPractitionerIsRejected() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        Instant start = clinic.at(1, 10, 0);
        booked(clinic, patient, clinic.practitioner(), start);

        Api.Response second = clinic.book(clinic.adminToken, patient, clinic.practitioner(), start);

        assertProblem(second, 409, "SLOT_TAKEN");
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).hasSize(1);
    }

    @Test
    void bookingAPartiallyOverlappingTimeIsRejected() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        Instant ten = clinic.at(1, 10, 0);
        booked(clinic, clinic.patient(), practitioner, ten);
        booked(clinic, patient, clinic.practitioner(), clinic.at(1, 14, 0));

        // Practitioner busy 10:00-10:30.
        assertProblem(book(clinic.adminToken, clinic.patient(), practitioner, ten.plusSeconds(15 * 60),
                ten.plusSeconds(45 * 60)), 409, "SLOT_TAKEN");
        assertProblem(book(clinic.adminToken, clinic.patient(), practitioner, ten.minusSeconds(15 * 60),
                ten.plusSeconds(15 * 60)), 409, "SLOT_TAKEN");
        assertProblem(book(clinic.adminToken, clinic.patient(), practitioner, ten.minusSeconds(30 * 60),
                ten.plusSeconds(60 * 60)), 409, "SLOT_TAKEN");
        assertProblem(book(clinic.adminToken, clinic.patient(), practitioner, ten.plusSeconds(5 * 60),
                ten.plusSeconds(25 * 60)), 409, "SLOT_TAKEN");
        // Patient busy 14:00-14:30 with another practitioner.
        Instant two = clinic.at(1, 14, 0);
        assertProblem(book(clinic.adminToken, patient, practitioner, two.plusSeconds(20 * 60),
                two.plusSeconds(50 * 60)), 409, "SLOT_TAKEN");
        assertThat(listIds(clinic.adminToken, "")).hasSize(2);
    }

    @Test
    void backToBackAppointmentsAreAllowed() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        Instant ten = clinic.at(1, 10, 0);
        booked(clinic, patient, practitioner, ten);

        // Same practitioner and same patient, touching at either end: [start, end) ranges do not overlap.
        Api.Response after = clinic.book(clinic.adminToken, patient, practitioner, ten.plus(SLOT));
        Api.Response before = clinic.book(clinic.adminToken, patient, practitioner, ten.minus(SLOT));

        assertThat(after.status()).as("%s", after).isEqualTo(201);
        assertThat(before.status()).as("%s", before).isEqualTo(201);
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).hasSize(3);
    }

    // ---------------------------------------------------------------- working hours and validation

    @Test
    void bookingOutsideWorkingHoursIsRejected() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();

        assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 7, 30)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 18, 0)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 22, 0)), 422,
                "OUTSIDE_WORKING_HOURS");
        // Starts inside, ends after closing.
        assertProblem(book(clinic.adminToken, patient, practitioner, clinic.at(1, 17, 45), clinic.at(1, 18, 15)),
                422, "OUTSIDE_WORKING_HOURS");
        // Starts before opening, ends inside.
        assertProblem(book(clinic.adminToken, patient, practitioner, clinic.at(1, 7, 45), clinic.at(1, 8, 15)),
                422, "OUTSIDE_WORKING_HOURS");
        assertThat(listIds(clinic.adminToken, "")).isEmpty();

        // The edges of the working day are bookable.
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 8, 0)).status()).isEqualTo(201);
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 17, 30)).status())
                .isEqualTo(201);
    }

    @Test
    void bookingOnADayWithoutWorkingHoursIsRejected() {
        Clinic clinic = newClinic();
        String practitioner = newPractitioner(clinic);
        LocalDate tomorrow = LocalDate.now(clinic.zone).plusDays(1);
        DayOfWeek off = tomorrow.getDayOfWeek();
        List<Map<String, Object>> hours = Arrays.stream(DayOfWeek.values()).filter(d -> d != off)
                .map(d -> hours(d, "08:00", "18:00")).toList();
        assertThat(putSchedule(clinic, practitioner, hours, List.of()).status()).isEqualTo(200);

        assertProblem(clinic.book(clinic.adminToken, clinic.patient(), practitioner, clinic.at(1, 10, 0)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertThat(clinic.book(clinic.adminToken, clinic.patient(), practitioner, clinic.at(2, 10, 0)).status())
                .isEqualTo(201);
    }

    @Test
    void bookingDuringAScheduleExceptionIsRejected() {
        Clinic clinic = newClinic();
        String practitioner = newPractitioner(clinic);
        List<Map<String, Object>> everyDay = Arrays.stream(DayOfWeek.values()).map(d -> hours(d, "08:00", "18:00"))
                .toList();
        Instant leaveFrom = midnight(clinic, 1);
        Instant leaveTo = midnight(clinic, 2);
        Instant lunchFrom = clinic.at(3, 12, 0);
        Instant lunchTo = clinic.at(3, 13, 0);
        Api.Response schedule = putSchedule(clinic, practitioner, everyDay, List.of(
                Map.of("from", leaveFrom.toString(), "to", leaveTo.toString(), "reason", "Annual leave"),
                Map.of("from", lunchFrom.toString(), "to", lunchTo.toString(), "reason", "Training")));
        assertThat(schedule.status()).as("%s", schedule).isEqualTo(200);
        String patient = clinic.patient();

        assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(1, 10, 0)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(3, 12, 30)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(book(clinic.adminToken, patient, practitioner, clinic.at(3, 11, 45), clinic.at(3, 12, 15)),
                422, "OUTSIDE_WORKING_HOURS");
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).isEmpty();
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 3), midnight(clinic, 4)))
                .hasSize(18).doesNotContain(lunchFrom, lunchFrom.plus(SLOT)).contains(lunchTo, lunchFrom.minus(SLOT));

        // Right before and right after the exception, and the next day, are bookable.
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(3, 11, 30)).status())
                .isEqualTo(201);
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(3, 13, 0)).status())
                .isEqualTo(201);
        assertThat(clinic.book(clinic.adminToken, patient, practitioner, clinic.at(2, 10, 0)).status())
                .isEqualTo(201);
    }

    @Test
    void bookingForAnUnknownPatientIsNotFound() {
        Clinic clinic = newClinic();

        Api.Response response = clinic.book(clinic.adminToken, UUID.randomUUID().toString(), clinic.practitioner(),
                clinic.at(1, 10, 0));

        assertProblem(response, 404, "NOT_FOUND");
        assertThat(listIds(clinic.adminToken, "")).isEmpty();
    }

    @Test
    void bookingWithAnUnknownPractitionerIsNotFound() {
        Clinic clinic = newClinic();

        Api.Response response = clinic.book(clinic.adminToken, clinic.patient(), UUID.randomUUID().toString(),
                clinic.at(1, 10, 0));

        assertProblem(response, 404, "NOT_FOUND");
        assertThat(listIds(clinic.adminToken, "")).isEmpty();
    }

    @Test
    void bookingWithStartNotBeforeEndIsABadRequest() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);

        assertProblem(book(clinic.adminToken, patient, practitioner, ten, ten), 400, "INVALID_TIME_RANGE");
        assertProblem(book(clinic.adminToken, patient, practitioner, ten, ten.minus(SLOT)), 400, "INVALID_TIME_RANGE");
        assertThat(listIds(clinic.adminToken, "")).isEmpty();
    }

    @Test
    void bookingWithMissingOrMalformedFieldsIsAValidationProblem() {
        Clinic clinic = newClinic();

        Api.Response missing = api.post("/api/v1/appointments", clinic.adminToken, Map.of("reason", "no ids"));
        assertProblem(missing, 400, "VALIDATION_FAILED");
        List<String> fields = new ArrayList<>();
        missing.body().path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).contains("patientId", "practitionerId", "start", "end");

        assertProblem(api.postRaw("/api/v1/appointments", clinic.adminToken, "{\"patientId\": "), 400,
                "MALFORMED_REQUEST");
    }

    // ---------------------------------------------------------------- state machine

    @Test
    void anAppointmentIsCheckedInAndThenCompleted() {
        Clinic clinic = newClinic();
        String id = booked(clinic, clinic.patient(), clinic.practitioner(), clinic.at(1, 10, 0));

        Api.Response checkedIn = action(clinic.adminToken, id, "check-in");
        assertThat(checkedIn.status()).as("%s", checkedIn).isEqualTo(200);
        assertThat(checkedIn.text("status")).isEqualTo("CHECKED_IN");

        Api.Response completed = action(clinic.adminToken, id, "complete");
        assertThat(completed.status()).as("%s", completed).isEqualTo(200);
        assertThat(completed.text("status")).isEqualTo("COMPLETED");
        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("COMPLETED");
    }

    @Test
    void aBookedAppointmentCanBeMarkedNoShow() {
        Clinic clinic = newClinic();
        String id = booked(clinic, clinic.patient(), clinic.practitioner(), clinic.at(1, 10, 0));

        Api.Response noShow = action(clinic.adminToken, id, "no-show");

        assertThat(noShow.status()).as("%s", noShow).isEqualTo(200);
        assertThat(noShow.text("status")).isEqualTo("NO_SHOW");
        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("NO_SHOW");
    }

    @Test
    void aBookedAppointmentCanBeCancelledWithAReason() {
        Clinic clinic = newClinic();
        String id = booked(clinic, clinic.patient(), clinic.practitioner(), clinic.at(1, 10, 0));

        Api.Response cancelled = cancel(clinic.adminToken, id);

        assertThat(cancelled.status()).as("%s", cancelled).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.text("cancelReason")).isEqualTo("Patient called");
        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("CANCELLED");
    }

    @Test
    void cancellingWithoutAReasonIsAValidationProblem() {
        Clinic clinic = newClinic();
        String id = booked(clinic, clinic.patient(), clinic.practitioner(), clinic.at(1, 10, 0));

        assertProblem(api.post("/api/v1/appointments/" + id + "/cancel", clinic.adminToken, Map.of("reason", " ")),
                400, "VALIDATION_FAILED");
        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("BOOKED");
    }

    @Test
    void forbiddenTransitionsAreRejectedAndLeaveTheStateAsItWas() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        String booked = booked(clinic, patient, practitioner, clinic.at(1, 9, 0));
        String checkedIn = booked(clinic, patient, practitioner, clinic.at(1, 10, 0));
        String completed = booked(clinic, patient, practitioner, clinic.at(1, 11, 0));
        String cancelled = booked(clinic, patient, practitioner, clinic.at(1, 12, 0));
        String noShow = booked(clinic, patient, practitioner, clinic.at(1, 13, 0));
        assertThat(action(clinic.adminToken, checkedIn, "check-in").status()).isEqualTo(200);
        assertThat(action(clinic.adminToken, completed, "check-in").status()).isEqualTo(200);
        assertThat(action(clinic.adminToken, completed, "complete").status()).isEqualTo(200);
        assertThat(cancel(clinic.adminToken, cancelled).status()).isEqualTo(200);
        assertThat(action(clinic.adminToken, noShow, "no-show").status()).isEqualTo(200);

        Map<String, List<String>> forbidden = new LinkedHashMap<>();
        forbidden.put(booked, List.of("complete"));
        forbidden.put(checkedIn, List.of("check-in", "no-show", "cancel"));
        forbidden.put(completed, List.of("check-in", "complete", "no-show", "cancel", "reschedule"));
        forbidden.put(cancelled, List.of("check-in", "complete", "no-show", "cancel", "reschedule"));
        forbidden.put(noShow, List.of("check-in", "complete", "no-show", "cancel", "reschedule"));
        Map<String, String> stateBefore = new HashMap<>();
        forbidden.keySet().forEach(id -> stateBefore.put(id, get(clinic.adminToken, id).text("status")));
        Instant freeSlot = clinic.at(2, 15, 0);

        forbidden.forEach((id, verbs) -> {
            for (String verb : verbs) {
                Api.Response response = switch (verb) {
                    case "cancel" -> cancel(clinic.adminToken, id);
                    case "reschedule" -> reschedule(clinic.adminToken, id, freeSlot, freeSlot.plus(SLOT));
                    default -> action(clinic.adminToken, id, verb);
                };
                assertProblem(response, 409, "INVALID_TRANSITION");
            }
        });

        assertThat(stateBefore).containsExactlyInAnyOrderEntriesOf(Map.of(booked, "BOOKED", checkedIn, "CHECKED_IN",
                completed, "COMPLETED", cancelled, "CANCELLED", noShow, "NO_SHOW"));
        forbidden.keySet().forEach(id -> assertThat(get(clinic.adminToken, id).text("status")).as(id)
                .isEqualTo(stateBefore.get(id)));
        assertThat(instant(get(clinic.adminToken, cancelled), "start")).isEqualTo(clinic.at(1, 12, 0));
    }

    @Test
    void transitionsOfAnUnknownAppointmentAreNotFound() {
        Clinic clinic = newClinic();
        String unknown = UUID.randomUUID().toString();

        for (String verb : List.of("check-in", "complete", "no-show")) {
            assertProblem(action(clinic.adminToken, unknown, verb), 404, "NOT_FOUND");
        }
        assertProblem(cancel(clinic.adminToken, unknown), 404, "NOT_FOUND");
        assertProblem(reschedule(clinic.adminToken, unknown, clinic.at(1, 10, 0), clinic.at(1, 10, 30)), 404,
                "NOT_FOUND");
    }

    @Test
    void aCheckedInAppointmentKeepsBlockingItsSlot() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);
        String id = booked(clinic, clinic.patient(), practitioner, ten);
        assertThat(action(clinic.adminToken, id, "check-in").status()).isEqualTo(200);

        assertProblem(clinic.book(clinic.adminToken, clinic.patient(), practitioner, ten), 409, "SLOT_TAKEN");
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).doesNotContain(ten);
    }

    // ---------------------------------------------------------------- freeing and moving slots

    @Test
    void cancellingFreesTheSlot() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);
        String id = booked(clinic, clinic.patient(), practitioner, ten);
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).doesNotContain(ten);

        assertThat(cancel(clinic.adminToken, id).status()).isEqualTo(200);

        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).contains(ten)
                .hasSize(20);
        Api.Response rebooked = clinic.book(clinic.adminToken, clinic.patient(), practitioner, ten);
        assertThat(rebooked.status()).as("%s", rebooked).isEqualTo(201);
        assertThat(rebooked.text("id")).isNotEqualTo(id);
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).doesNotContain(ten);
    }

    @Test
    void completedAndNoShowAppointmentsNoLongerBlockTheirSlots() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);
        Instant eleven = clinic.at(1, 11, 0);
        String completed = booked(clinic, clinic.patient(), practitioner, ten);
        String noShow = booked(clinic, clinic.patient(), practitioner, eleven);
        action(clinic.adminToken, completed, "check-in");
        assertThat(action(clinic.adminToken, completed, "complete").status()).isEqualTo(200);
        assertThat(action(clinic.adminToken, noShow, "no-show").status()).isEqualTo(200);

        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2))).contains(ten, eleven);
        assertThat(clinic.book(clinic.adminToken, clinic.patient(), practitioner, ten).status()).isEqualTo(201);
        assertThat(clinic.book(clinic.adminToken, clinic.patient(), practitioner, eleven).status()).isEqualTo(201);
    }

    @Test
    void reschedulingMovesTheAppointmentAndFreesTheOldSlot() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        Instant ten = clinic.at(1, 10, 0);
        Instant two = clinic.at(2, 14, 0);
        String id = booked(clinic, patient, practitioner, ten);

        Api.Response moved = reschedule(clinic.adminToken, id, two, two.plus(SLOT));

        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        assertThat(moved.text("id")).isEqualTo(id);
        assertThat(moved.text("status")).isEqualTo("BOOKED");
        assertThat(instant(moved, "start")).isEqualTo(two);
        assertThat(instant(moved, "end")).isEqualTo(two.plus(SLOT));
        Api.Response read = get(clinic.adminToken, id);
        assertThat(instant(read, "start")).isEqualTo(two);
        assertThat(instant(read, "end")).isEqualTo(two.plus(SLOT));
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 3))).contains(ten)
                .doesNotContain(two);
        assertThat(clinic.book(clinic.adminToken, clinic.patient(), practitioner, ten).status()).isEqualTo(201);
        assertProblem(clinic.book(clinic.adminToken, clinic.patient(), practitioner, two), 409, "SLOT_TAKEN");
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).containsExactly(id);
    }

    @Test
    void reschedulingOntoATimeOverlappingItsOwnOldTimeIsAllowed() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);
        String id = booked(clinic, clinic.patient(), practitioner, ten);

        Api.Response moved = reschedule(clinic.adminToken, id, ten.plusSeconds(15 * 60), ten.plusSeconds(45 * 60));

        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        assertThat(instant(moved, "start")).isEqualTo(ten.plusSeconds(15 * 60));
    }

    @Test
    void reschedulingOntoATakenSlotIsRejectedAndKeepsTheOldTime() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        Instant ten = clinic.at(1, 10, 0);
        Instant eleven = clinic.at(1, 11, 0);
        Instant three = clinic.at(1, 15, 0);
        String id = booked(clinic, patient, practitioner, ten);
        booked(clinic, clinic.patient(), practitioner, eleven);
        // The patient is busy at 15:00 with someone else.
        booked(clinic, patient, clinic.practitioner(), three);
        Api.Response before = get(clinic.adminToken, id);

        assertProblem(reschedule(clinic.adminToken, id, eleven, eleven.plus(SLOT)), 409, "SLOT_TAKEN");
        assertProblem(reschedule(clinic.adminToken, id, eleven.minusSeconds(10 * 60), eleven.plusSeconds(20 * 60)),
                409, "SLOT_TAKEN");
        assertProblem(reschedule(clinic.adminToken, id, three, three.plus(SLOT)), 409, "SLOT_TAKEN");

        Api.Response after = get(clinic.adminToken, id);
        assertThat(instant(after, "start")).isEqualTo(ten);
        assertThat(instant(after, "end")).isEqualTo(ten.plus(SLOT));
        assertThat(after.text("status")).isEqualTo("BOOKED");
        assertThat(after.body().path("version").asInt()).isEqualTo(before.body().path("version").asInt());
        // The old time is still held by the appointment.
        assertProblem(clinic.book(clinic.adminToken, clinic.patient(), practitioner, ten), 409, "SLOT_TAKEN");
        assertThat(freeStarts(clinic, practitioner, midnight(clinic, 1), midnight(clinic, 2)))
                .doesNotContain(ten, eleven);
    }

    @Test
    void reschedulingOutsideWorkingHoursOrWithABadRangeIsRejected() {
        Clinic clinic = newClinic();
        Instant ten = clinic.at(1, 10, 0);
        String id = booked(clinic, clinic.patient(), clinic.practitioner(), ten);

        assertProblem(reschedule(clinic.adminToken, id, clinic.at(1, 19, 0), clinic.at(1, 19, 30)), 422,
                "OUTSIDE_WORKING_HOURS");
        assertProblem(reschedule(clinic.adminToken, id, clinic.at(1, 12, 0), clinic.at(1, 12, 0)), 400,
                "INVALID_TIME_RANGE");
        assertThat(instant(get(clinic.adminToken, id), "start")).isEqualTo(ten);
    }

    // ---------------------------------------------------------------- availability

    @Test
    void availabilityListsOnlyFreeSlots() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant ten = clinic.at(1, 10, 0);
        Instant from = midnight(clinic, 1);
        Instant to = midnight(clinic, 2);

        Api.Response all = availability(clinic.adminToken, practitioner, from, to);
        assertThat(all.status()).as("%s", all).isEqualTo(200);
        List<Instant> starts = starts(all);
        assertThat(starts).hasSize(20).isSorted().contains(ten);
        assertThat(starts.getFirst()).isEqualTo(clinic.at(1, 8, 0));
        assertThat(starts.getLast()).isEqualTo(clinic.at(1, 17, 30));
        all.body().path("slots").forEach(slot -> assertThat(Duration.between(Instant.parse(slot.path("start")
                .asString()), Instant.parse(slot.path("end").asString()))).isEqualTo(SLOT));

        booked(clinic, clinic.patient(), practitioner, ten);

        List<Instant> free = freeStarts(clinic, practitioner, from, to);
        assertThat(free).hasSize(19).doesNotContain(ten).contains(ten.minus(SLOT), ten.plus(SLOT));
    }

    @Test
    void availabilityIsLimitedToTheRequestedWindow() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();

        List<Instant> free = freeStarts(clinic, practitioner, clinic.at(1, 10, 15), clinic.at(1, 12, 0));

        assertThat(free).containsExactly(clinic.at(1, 10, 30), clinic.at(1, 11, 0), clinic.at(1, 11, 30));
    }

    @Test
    void availabilityRangeMustBeOrderedAndAtMost31Days() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();
        Instant from = midnight(clinic, 1);

        assertProblem(availability(clinic.adminToken, practitioner, from, from.plus(Duration.ofDays(32))), 400,
                "INVALID_TIME_RANGE");
        assertProblem(availability(clinic.adminToken, practitioner, from, from.plus(Duration.ofDays(31)).plusSeconds(1)),
                400, "INVALID_TIME_RANGE");
        assertProblem(availability(clinic.adminToken, practitioner, from, from), 400, "INVALID_TIME_RANGE");
        assertProblem(availability(clinic.adminToken, practitioner, from, from.minusSeconds(3600)), 400,
                "INVALID_TIME_RANGE");
        Api.Response month = availability(clinic.adminToken, practitioner, from, from.plus(Duration.ofDays(31)));
        assertThat(month.status()).as("%s", month).isEqualTo(200);
        assertThat(month.body().path("slots").size()).isBetween(30 * 20, 31 * 20);
    }

    @Test
    void availabilityOfAnUnknownPractitionerIsNotFound() {
        Clinic clinic = newClinic();

        assertProblem(availability(clinic.adminToken, UUID.randomUUID().toString(), midnight(clinic, 1),
                midnight(clinic, 2)), 404, "NOT_FOUND");
    }

    @Test
    void availabilityRequiresFromAndTo() {
        Clinic clinic = newClinic();
        String practitioner = clinic.practitioner();

        Api.Response missing = api.get("/api/v1/practitioners/" + practitioner + "/availability?from="
                + midnight(clinic, 1), clinic.adminToken);

        assertThat(missing.status()).as("%s", missing).isEqualTo(400);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.text("code")).isNotBlank();
        assertThat(missing.text("traceId")).isNotBlank();
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void repeatingABookingWithTheSameIdempotencyKeyBooksOnce() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Map<String, Object> body = bookingBody(patient, practitioner, clinic.at(1, 10, 0));
        Map<String, String> key = Map.of("Idempotency-Key", "booking-" + UUID.randomUUID());

        Api.Response first = api.post("/api/v1/appointments", clinic.adminToken, body, key);
        Api.Response retry = api.post("/api/v1/appointments", clinic.adminToken, body, key);

        assertThat(first.status()).as("%s", first).isEqualTo(201);
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        assertThat(retry.text("status")).isEqualTo("BOOKED");
        assertThat(instant(retry, "start")).isEqualTo(instant(first, "start"));
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).containsExactly(first.text("id"));
    }

    @Test
    void reusingAnIdempotencyKeyWithADifferentBodyIsRejected() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();
        Map<String, String> key = Map.of("Idempotency-Key", "booking-" + UUID.randomUUID());
        Api.Response first = api.post("/api/v1/appointments", clinic.adminToken,
                bookingBody(patient, practitioner, clinic.at(1, 10, 0)), key);
        assertThat(first.status()).as("%s", first).isEqualTo(201);

        Api.Response other = api.post("/api/v1/appointments", clinic.adminToken,
                bookingBody(patient, practitioner, clinic.at(1, 11, 0)), key);

        assertProblem(other, 422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).containsExactly(first.text("id"));
    }

    @Test
    void differentIdempotencyKeysBookIndependently() {
        Clinic clinic = newClinic();
        String patient = clinic.patient();
        String practitioner = clinic.practitioner();

        Api.Response first = api.post("/api/v1/appointments", clinic.adminToken,
                bookingBody(patient, practitioner, clinic.at(1, 10, 0)), Map.of("Idempotency-Key", "k-1"));
        Api.Response second = api.post("/api/v1/appointments", clinic.adminToken,
                bookingBody(patient, practitioner, clinic.at(1, 11, 0)), Map.of("Idempotency-Key", "k-2"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(listIds(clinic.adminToken, "patientId=" + patient)).hasSize(2);
    }

    // ---------------------------------------------------------------- roles

    @Test
    void aReceptionistMayBookAndCheckInButNotCompleteOrMarkNoShow() {
        Clinic clinic = newClinic();
        User receptionist = clinic.user("RECEPTIONIST");
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();

        Api.Response booked = clinic.book(receptionist.token(), patient, practitioner, clinic.at(1, 10, 0));
        assertThat(booked.status()).as("%s", booked).isEqualTo(201);
        String id = booked.text("id");
        Api.Response other = clinic.book(receptionist.token(), patient, practitioner, clinic.at(1, 11, 0));
        assertThat(other.status()).as("%s", other).isEqualTo(201);

        assertThat(get(receptionist.token(), id).status()).isEqualTo(200);
        assertThat(listIds(receptionist.token(), "")).containsExactlyInAnyOrder(id, other.text("id"));
        assertThat(availability(receptionist.token(), practitioner, midnight(clinic, 1), midnight(clinic, 2))
                .status()).isEqualTo(200);
        assertProblem(action(receptionist.token(), other.text("id"), "no-show"), 403, "FORBIDDEN");
        Api.Response checkedIn = action(receptionist.token(), id, "check-in");
        assertThat(checkedIn.status()).as("%s", checkedIn).isEqualTo(200);
        assertThat(checkedIn.text("status")).isEqualTo("CHECKED_IN");
        assertProblem(action(receptionist.token(), id, "complete"), 403, "FORBIDDEN");

        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("CHECKED_IN");
        assertThat(get(clinic.adminToken, other.text("id")).text("status")).isEqualTo("BOOKED");
        Instant two = clinic.at(1, 14, 0);
        assertThat(reschedule(receptionist.token(), other.text("id"), two, two.plus(SLOT)).status()).isEqualTo(200);
        assertThat(cancel(receptionist.token(), other.text("id")).status()).isEqualTo(200);
    }

    @Test
    void aPractitionerMayCompleteAndMarkNoShow() {
        Clinic clinic = newClinic();
        User doctor = clinic.user("PRACTITIONER");
        String practitioner = clinic.practitioner();
        String visit = booked(clinic, clinic.patient(), practitioner, clinic.at(1, 10, 0));
        String missed = booked(clinic, clinic.patient(), practitioner, clinic.at(1, 11, 0));

        assertThat(action(doctor.token(), visit, "check-in").status()).isEqualTo(200);
        assertThat(action(doctor.token(), visit, "complete").text("status")).isEqualTo("COMPLETED");
        assertThat(action(doctor.token(), missed, "no-show").text("status")).isEqualTo("NO_SHOW");
    }

    @Test
    void aComplianceOfficerMayNeitherBookNorReadAppointments() {
        Clinic clinic = newClinic();
        User officer = clinic.user("COMPLIANCE_OFFICER");
        String practitioner = clinic.practitioner();
        String patient = clinic.patient();
        String id = booked(clinic, patient, practitioner, clinic.at(1, 10, 0));

        assertProblem(clinic.book(officer.token(), patient, practitioner, clinic.at(1, 11, 0)), 403, "FORBIDDEN");
        assertProblem(get(officer.token(), id), 403, "FORBIDDEN");
        assertProblem(api.get("/api/v1/appointments", officer.token()), 403, "FORBIDDEN");
        assertProblem(availability(officer.token(), practitioner, midnight(clinic, 1), midnight(clinic, 2)), 403,
                "FORBIDDEN");
        assertProblem(action(officer.token(), id, "check-in"), 403, "FORBIDDEN");
        assertProblem(cancel(officer.token(), id), 403, "FORBIDDEN");
        assertProblem(reschedule(officer.token(), id, clinic.at(1, 12, 0), clinic.at(1, 12, 30)), 403, "FORBIDDEN");

        assertThat(listIds(clinic.adminToken, "")).containsExactly(id);
        assertThat(get(clinic.adminToken, id).text("status")).isEqualTo("BOOKED");
    }

    @Test
    void appointmentsRequireAnAccessToken() {
        assertProblem(api.get("/api/v1/appointments", null), 401, "UNAUTHORIZED");
        assertProblem(api.post("/api/v1/appointments", "not-a-token", Map.of()), 401, "UNAUTHORIZED");
    }

    // ---------------------------------------------------------------- helpers

    private Api.Response book(String token, String patient, String practitioner, Instant start, Instant end) {
        return api.post("/api/v1/appointments", token, Map.of("patientId", patient, "practitionerId", practitioner,
                "start", start.toString(), "end", end.toString()));
    }

    private String booked(Clinic clinic, String patient, String practitioner, Instant start) {
        Api.Response response = clinic.book(clinic.adminToken, patient, practitioner, start);
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.text("id");
    }

    private static Map<String, Object> bookingBody(String patient, String practitioner, Instant start) {
        return Map.of("patientId", patient, "practitionerId", practitioner, "start", start.toString(), "end",
                start.plus(SLOT).toString());
    }

    private Api.Response get(String token, String id) {
        return api.get("/api/v1/appointments/" + id, token);
    }

    private Api.Response action(String token, String id, String verb) {
        return api.post("/api/v1/appointments/" + id + "/" + verb, token, null);
    }

    private Api.Response cancel(String token, String id) {
        return api.post("/api/v1/appointments/" + id + "/cancel", token, Map.of("reason", "Patient called"));
    }

    private Api.Response reschedule(String token, String id, Instant start, Instant end) {
        return api.post("/api/v1/appointments/" + id + "/reschedule", token,
                Map.of("start", start.toString(), "end", end.toString()));
    }

    private Api.Response availability(String token, String practitioner, Instant from, Instant to) {
        return api.get("/api/v1/practitioners/" + practitioner + "/availability?from=" + from + "&to=" + to, token);
    }

    private List<Instant> freeStarts(Clinic clinic, String practitioner, Instant from, Instant to) {
        Api.Response response = availability(clinic.adminToken, practitioner, from, to);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return starts(response);
    }

    private static List<Instant> starts(Api.Response availability) {
        List<Instant> starts = new ArrayList<>();
        availability.body().path("slots").forEach(slot -> starts.add(Instant.parse(slot.path("start").asString())));
        return starts;
    }

    private List<String> listIds(String token, String query) {
        Api.Response response = api.get("/api/v1/appointments" + (query.isEmpty() ? "" : "?" + query), token);
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        return ids(response);
    }

    private static List<String> ids(Api.Response page) {
        List<String> ids = new ArrayList<>();
        page.body().path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static Instant instant(Api.Response response, String field) {
        return Instant.parse(response.text(field));
    }

    private static Instant midnight(Clinic clinic, int daysAhead) {
        return LocalDate.now(clinic.zone).plusDays(daysAhead).atStartOfDay(clinic.zone).toInstant();
    }

    private String newPractitioner(Clinic clinic) {
        Api.Response created = api.post("/api/v1/practitioners", clinic.adminToken,
                Map.of("givenName", "Grace", "familyName", "Hopper"));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.text("id");
    }

    private Api.Response putSchedule(Clinic clinic, String practitioner, List<Map<String, Object>> hours,
            List<Map<String, String>> exceptions) {
        return api.put("/api/v1/practitioners/" + practitioner + "/schedule", clinic.adminToken,
                Map.of("slotMinutes", 30, "weeklyHours", hours, "exceptions", exceptions));
    }

    private static Map<String, Object> hours(DayOfWeek day, String start, String end) {
        return Map.of("day", day.name(), "start", LocalTime.parse(start).toString(), "end",
                LocalTime.parse(end).toString());
    }
}
