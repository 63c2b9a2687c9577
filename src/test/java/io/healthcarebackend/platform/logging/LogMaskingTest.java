package io.healthcarebackend.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskingTest {

    @Test
    void masksTokensAndSecrets() {
        String jwt = "eyJraWQiOiJrIiwiYWxnIjoiRVMyNTYifQ.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
        assertThat(LogMasking.mask("Authorization: Bearer " + jwt)).doesNotContain(jwt).contains("[REDACTED]");
        assertThat(LogMasking.mask("token was " + jwt)).isEqualTo("token was [JWT]");
        assertThat(LogMasking.mask("login with password=hunter2hunter2 failed")).isEqualTo(
                "login with password=[REDACTED] failed");
        assertThat(LogMasking.mask("{\"refreshToken\":\"AbC123\"}")).isEqualTo("{\"refreshToken\":\"[REDACTED]\"}");
    }

    @Test
    void masksContactDataAndNationalIds() {
        assertThat(LogMasking.mask("mail ada.lovelace@example.org now")).isEqualTo("mail [EMAIL] now");
        assertThat(LogMasking.mask("call +44 20 7946 0958 or (555) 123-4567")).isEqualTo("call [PHONE] or [PHONE]");
        assertThat(LogMasking.mask("ssn 078-05-1120")).isEqualTo("ssn [NATIONAL-ID]");
    }

    @Test
    void leavesIdsTimesAndOrdinaryTextAlone() {
        String line = "Login succeeded for user 01a2008c-1458-7a9a-93c2-443b35432a90 (session "
                + "01a2008f-d2f2-760d-b9dc-28c548be9d1f) at 2026-11-22T01:20:32.123Z, took 120 ms";
        assertThat(LogMasking.mask(line)).isEqualTo(line);
        assertThat(LogMasking.mask(null)).isNull();
    }
}
