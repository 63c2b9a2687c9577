package io.healthcarebackend.authz;

import org.springframework.test.context.TestPropertySource;

/** {@link SessionBindingTest} with sessions in PostgreSQL: no Redis configured (single node). */
@TestPropertySource(properties = "app.redis.url=")
class SessionBindingInPostgresTest extends SessionBindingTest {
}
