package io.healthcarebackend.platform.db;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A SQL statement as it may be shown outside the database (slow-query log events, trace spans):
 * every literal replaced by {@code ?} — quoted strings, {@code E'…'} and dollar-quoted strings,
 * numbers — comments removed, whitespace collapsed, cut at {@value #MAX} characters. The service's
 * statements take values only as bind parameters, which never appear in the text; this makes sure
 * a literal written into a statement by mistake (or by a library) does not leak either.
 */
public final class SqlText {

    static final int MAX = 1000;
    private static final int CACHED = 2048;
    private static final Set<String> OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE",
            "CALL", "COPY", "SET", "SHOW", "LOCK", "BEGIN", "COMMIT", "ROLLBACK", "VALUES", "TRUNCATE");
    private static final Map<String, String> SANITIZED = new ConcurrentHashMap<>();

    private SqlText() {
    }

    /** The statement's first keyword (SELECT, INSERT, …), or OTHER: a bounded set, fit for a metric tag. */
    public static String operation(String sql) {
        if (sql == null) {
            return "OTHER";
        }
        int i = 0;
        int n = sql.length();
        while (i < n && (Character.isWhitespace(sql.charAt(i)) || sql.charAt(i) == '(')) {
            i++;
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        String word = sql.substring(start, i).toUpperCase(Locale.ROOT);
        return OPERATIONS.contains(word) ? word : "OTHER";
    }

    /** The statement without literals or comments, one line, at most {@value #MAX} characters. */
    public static String sanitized(String sql) {
        if (sql == null) {
            return "";
        }
        String cached = SANITIZED.get(sql);
        if (cached != null) {
            return cached;
        }
        String clean = sanitize(sql);
        if (SANITIZED.size() >= CACHED) {
            SANITIZED.clear();
        }
        SANITIZED.put(sql, clean);
        return clean;
    }

    static String sanitize(String sql) {
        StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX + 1));
        int n = sql.length();
        int i = 0;
        while (i < n && out.length() <= MAX) {
            char c = sql.charAt(i);
            char next = i + 1 < n ? sql.charAt(i + 1) : 0;
            char previous = i > 0 ? sql.charAt(i - 1) : ' ';
            if (c == '\'') {
                i = endOfQuoted(sql, i + 1, false);
                out.append('?');
            } else if ((c == 'E' || c == 'e') && next == '\'' && !identifierPart(previous)) {
                i = endOfQuoted(sql, i + 2, true);
                out.append('?');
            } else if (c == '$' && !identifierPart(previous) && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int close = sql.indexOf(tag, i + tag.length());
                i = close < 0 ? n : close + tag.length();
                out.append('?');
            } else if (c == '-' && next == '-') {
                int eol = sql.indexOf('\n', i);
                i = eol < 0 ? n : eol;
            } else if (c == '/' && next == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? n : close + 2;
                space(out);
            } else if (c == '"') {
                int close = sql.indexOf('"', i + 1);
                int end = close < 0 ? n : close + 1;
                out.append(sql, i, end);
                i = end;
            } else if (Character.isDigit(c) && !identifierPart(previous)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                out.append('?');
            } else if (Character.isWhitespace(c)) {
                space(out);
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        String text = out.toString().strip();
        return text.length() > MAX ? text.substring(0, MAX) + "…" : text;
    }

    /** Index after the closing quote of a string starting at {@code from} ('' doubles; backslash escapes in E''). */
    private static int endOfQuoted(String sql, int from, boolean backslashes) {
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && sql.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** {@code $tag$} or {@code $$} at {@code i}, else null ({@code $1} is not a dollar quote). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static void space(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }
}
