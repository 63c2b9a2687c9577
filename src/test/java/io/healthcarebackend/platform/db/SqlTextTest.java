package io.healthcarebackend.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What leaves the process of a SQL statement (slow-query log events, spans): no literal, no comment. */
class SqlTextTest {

    @Test
    void literalsBecomePlaceholdersAndBindParametersStay() {
        assertThat(SqlText.sanitize("select * from patients where family_name = 'O''Brien' and id = ?"))
                .isEqualTo("select * from patients where family_name = ? and id = ?");
        assertThat(SqlText.sanitize("select E'it\\'s secret', $$Jane Doe$$, $tag$x 'y' z$tag$ from t"))
                .isEqualTo("select ?, ?, ? from t");
        assertThat(SqlText.sanitize("select * from t1 where age > 42 and score = 3.5e2 limit 20"))
                .isEqualTo("select * from t1 where age > ? and score = ? limit ?");
        assertThat(SqlText.sanitize("select x::int4, \"Quoted Name\" from t -- by 'jane'\nwhere a = ?"))
                .isEqualTo("select x::int4, \"Quoted Name\" from t where a = ?");
        assertThat(SqlText.sanitize("select /* patient Jane */ 1")).isEqualTo("select ?");
        assertThat(SqlText.sanitize("select 'unterminated")).isEqualTo("select ?");
    }

    @Test
    void longStatementsAreCutAndWhitespaceCollapsed() {
        String values = "insert into t values " + "(?, ?, ?), ".repeat(500) + "(?, ?, ?)";
        assertThat(SqlText.sanitized(values)).hasSize(SqlText.MAX + 1).endsWith("…");
        assertThat(SqlText.sanitize("select\n    a,\n\tb\nfrom   t")).isEqualTo("select a, b from t");
    }

    @Test
    void theOperationIsTheFirstKeywordFromABoundedSet() {
        assertThat(SqlText.operation("  select 1")).isEqualTo("SELECT");
        assertThat(SqlText.operation("(select 1) union (select 2)")).isEqualTo("SELECT");
        assertThat(SqlText.operation("INSERT INTO t values (?)")).isEqualTo("INSERT");
        assertThat(SqlText.operation("with x as (select 1) update t set a = 1")).isEqualTo("WITH");
        assertThat(SqlText.operation("vacuum t")).isEqualTo("OTHER");
        assertThat(SqlText.operation(null)).isEqualTo("OTHER");
    }
}
