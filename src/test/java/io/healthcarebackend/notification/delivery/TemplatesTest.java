package io.healthcarebackend.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.delivery.NotificationSettings.Template;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static final Instant START = Instant.parse("2026-12-10T13:30:00Z");

    @Test
    void defaultsNameTheClinicAndTheTimeInItsZoneAndNothingElse() {
        Template text = Templates.render(Templates.of(NotificationSettings.DEFAULTS, Kind.REMINDER, Channel.SMS),
                "Riverside Clinic", START, ZoneId.of("Europe/Berlin"));
        assertThat(text.body()).isEqualTo(
                "Reminder: you have an appointment at Riverside Clinic on Thursday 2026-12-10 at 14:30.");
        assertThat(text.subject()).isEqualTo("Reminder: appointment at Riverside Clinic");
    }

    @Test
    void aClinicTemplateReplacesTheDefaultAndKeepsTheDefaultSubjectWhenItHasNone() {
        NotificationSettings settings = new NotificationSettings(true, List.of(60), null, null, List.of(Channel.EMAIL),
                Map.of("CONFIRMATION.EMAIL", new Template(null, "{{clinic}} expects you at {{ time }} on {{date}}.")));
        Template text = Templates.render(Templates.of(settings, Kind.CONFIRMATION, Channel.EMAIL), "North", START,
                ZoneId.of("UTC"));
        assertThat(text.body()).isEqualTo("North expects you at 13:30 on 2026-12-10.");
        assertThat(text.subject()).isEqualTo("Your appointment at North");
        assertThat(Templates.of(settings, Kind.REMINDER, Channel.EMAIL).body()).startsWith("Reminder:");
    }

    @Test
    void aClinicNameWithRegexCharactersIsInsertedLiterally() {
        Template text = Templates.render(new Template("s", "{{clinic}}"), "Dr. $1 \\ Co", START, ZoneId.of("UTC"));
        assertThat(text.body()).isEqualTo("Dr. $1 \\ Co");
    }

    @Test
    void onlyKnownPlaceholdersAndKeysPass() {
        assertThat(Templates.problems("REMINDER.SMS", new Template(null, "{{clinic}} {{date}} {{weekday}} {{time}}")))
                .isEmpty();
        assertThat(Templates.problems("REMINDER.SMS", new Template(null, "{{patientName}}")))
                .singleElement().asString().contains("{{patientName}}");
        assertThat(Templates.problems("REMINDER.FAX", new Template(null, "x"))).hasSize(1);
        assertThat(Templates.problems("REMINDER.SMS", new Template(null, " "))).hasSize(1);
        assertThat(Templates.problems("REMINDER.SMS", new Template("x".repeat(201), "ok"))).hasSize(1);
        assertThat(Templates.problems("REMINDER.SMS", new Template(null, "x".repeat(1001)))).hasSize(1);
    }
}
