package io.healthcarebackend.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogBudgetTest {

    @Test
    void aBurstIsCutAtTheBudgetAndTheNextLineSaysHowManyWereLeftOut() throws InterruptedException {
        LogBudget budget = new LogBudget(3);
        // Start at the beginning of a second, so the burst falls in one.
        long second = System.nanoTime() / 1_000_000_000L;
        while (System.nanoTime() / 1_000_000_000L == second) {
            Thread.sleep(5);
        }
        assertThat(budget.admit()).isZero();
        assertThat(budget.admit()).isZero();
        assertThat(budget.admit()).isZero();
        assertThat(budget.admit()).isEqualTo(-1);
        assertThat(budget.admit()).isEqualTo(-1);
        Thread.sleep(1_050);
        assertThat(budget.admit()).isEqualTo(2);
        assertThat(budget.admit()).isZero();
    }
}
