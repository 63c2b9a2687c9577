package io.healthcarebackend.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The in-process limits (single node, and the stand-in while Redis is down) at chosen instants:
 * the same arithmetic as the Lua scripts, and the limit shared out among the expected instances.
 */
class LocalLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void aSlidingWindowWeighsThePreviousWindowByItsOverlap() {
        LocalLimiter limiter = new LocalLimiter(1, clock);
        Rule rule = rule(Algorithm.SLIDING_WINDOW, 10, Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
        }
        Decision full = limiter.consume(rule, "k", 1);
        assertThat(full.allowed()).isFalse();
        // Everything was counted at second 0 of its window: the next window must slide 10 % in.
        assertThat(full.retryAfterMillis()).isEqualTo(11_000);

        clock.advance(Duration.ofMillis(15_000));
        // Half the previous window still overlaps: 5 of its 10 count.
        assertThat(limiter.peek(rule, "k").remaining()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
        }
        assertThat(limiter.consume(rule, "k", 1).allowed()).isFalse();
    }

    @Test
    void aFixedWindowStartsWithItsFirstRequestAndEndsOneWindowLater() {
        LocalLimiter limiter = new LocalLimiter(1, clock);
        Rule rule = rule(Algorithm.FIXED_WINDOW, 3, Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(4_000));
        assertThat(limiter.consume(rule, "k", 3).allowed()).isTrue();
        Decision refused = limiter.consume(rule, "k", 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfterMillis()).isEqualTo(10_000);

        clock.advance(Duration.ofMillis(9_999));
        assertThat(limiter.consume(rule, "k", 1).allowed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
    }

    @Test
    void aRefundGivesUnitsBack() {
        LocalLimiter limiter = new LocalLimiter(1, clock);
        Rule rule = rule(Algorithm.FIXED_WINDOW, 2, Duration.ofMinutes(1));
        limiter.consume(rule, "k", 2);
        limiter.refund(rule, "k", 1);
        assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
        assertThat(limiter.consume(rule, "k", 1).allowed()).isFalse();
    }

    @Test
    void aUnitTakenJustBeforeTheBoundaryAndGivenBackJustAfterIsNotCountedAnyMore() {
        LocalLimiter limiter = new LocalLimiter(1, clock);
        Rule rule = rule(Algorithm.SLIDING_WINDOW, 3, Duration.ofSeconds(3));
        clock.advance(Duration.ofMillis(2_900));
        assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
        clock.advance(Duration.ofMillis(200));
        limiter.refund(rule, "k", 1);

        assertThat(limiter.peek(rule, "k").remaining()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.consume(rule, "k", 1).allowed()).isTrue();
        }
        assertThat(limiter.consume(rule, "k", 1).allowed()).isFalse();
    }

    @Test
    void inFallbackEachInstanceAllowsItsShareOfTheLimit() {
        LocalLimiter limiter = new LocalLimiter(4, clock);
        for (Algorithm algorithm : Algorithm.values()) {
            Rule rule = rule(algorithm, 100, Duration.ofHours(1));
            Decision decision = limiter.consume(rule, "k", 25);
            assertThat(decision.allowed()).as("%s", algorithm).isTrue();
            assertThat(decision.limit()).isEqualTo(25);
            assertThat(limiter.consume(rule, "k", 1).allowed()).as("%s", algorithm).isFalse();
        }
    }

    @Test
    void aTightestDecisionIsTheOneClosestToItsLimit() {
        Decision roomy = new Decision(true, 100, 90, 0, 0);
        Decision tight = new Decision(true, 10, 2, 0, 0);
        assertThat(Decision.tighter(roomy, tight)).isSameAs(tight);
        assertThat(Decision.tighter(tight, roomy)).isSameAs(tight);
        assertThat(Decision.tighter(null, roomy)).isSameAs(roomy);
    }

    private static Rule rule(Algorithm algorithm, long limit, Duration window) {
        return new Rule("test-" + algorithm.configName(), KeyKind.IP, Set.of("read"), algorithm, limit, window,
                false);
    }
}
