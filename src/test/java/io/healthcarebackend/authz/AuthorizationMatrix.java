package io.healthcarebackend.authz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization matrix ({@code docs/authorization-matrix.md}): one Markdown table row per
 * route and method, the expected HTTP status for every {@link Caller}, and how to call the route.
 * Parsing collects every problem of the file (with its line) instead of stopping at the first.
 */
final class AuthorizationMatrix {

    static final Path FILE = Path.of("docs/authorization-matrix.md");
    static final String ANY_METHOD = "ANY";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");

    /** How to call a route: path variables bound to fixtures, or a concrete path; query, body, a fresh sign-in. */
    record Recipe(Map<String, String> pathVariables, String path, String query, String body, boolean freshLogin) {
        Set<String> fixturesNamed() {
            Set<String> names = new LinkedHashSet<>(pathVariables.values());
            for (String text : new String[] {query, body}) {
                if (text != null) {
                    Matcher m = Fixtures.PLACEHOLDER.matcher(text);
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
            return names;
        }
    }

    record Row(int line, String method, String route, Map<Caller, Integer> expected, Recipe recipe) {
        String key() {
            return key(method, route);
        }

        static String key(String method, String route) {
            return method + " " + route;
        }

        int expected(Caller caller) {
            return expected.get(caller);
        }

        /** How to write this row in the file; also used to suggest rows for routes the file lacks. */
        static String template(String method, String route) {
            StringBuilder line = new StringBuilder("| " + method + " | `" + route + "` |");
            for (int i = 0; i < Caller.values().length; i++) {
                line.append(" ??? |");
            }
            return line.append(" |").toString();
        }
    }

    private final List<Row> rows;
    private final List<String> problems;

    private AuthorizationMatrix(List<Row> rows, List<String> problems) {
        this.rows = rows;
        this.problems = problems;
    }

    List<Row> rows() {
        return rows;
    }

    /** Everything wrong with the file itself (bad header, bad cells, duplicates), with line numbers. */
    List<String> problems() {
        return problems;
    }

    Map<String, Row> byKey() {
        Map<String, Row> byKey = new LinkedHashMap<>();
        rows.forEach(r -> byKey.putIfAbsent(r.key(), r));
        return byKey;
    }

    static AuthorizationMatrix load() {
        try {
            return parse(Files.readAllLines(FILE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FILE.toAbsolutePath(), e);
        }
    }

    static AuthorizationMatrix parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> header = null;
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            int line = i + 1;
            if (!text.startsWith("|")) {
                if (header != null) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(text);
            if (header == null) {
                // Other tables of the file (the legend) come before the one whose header starts with "method".
                if (cells.get(0).equals("method")) {
                    header = cells;
                    problems.addAll(checkHeader(header));
                }
                continue;
            }
            if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue;
            }
            if (cells.size() != header.size()) {
                problems.add("line " + line + ": " + cells.size() + " cells, the header has " + header.size());
                continue;
            }
            Row row = row(line, header, cells, problems);
            if (row != null && !seen.add(row.key())) {
                problems.add("line " + line + ": " + row.key() + " is listed twice");
            } else if (row != null) {
                rows.add(row);
            }
        }
        if (header == null) {
            problems.add(FILE + " holds no table whose header starts with | method |");
        }
        return new AuthorizationMatrix(rows, problems);
    }

    private static List<String> checkHeader(List<String> header) {
        List<String> problems = new ArrayList<>();
        List<String> wanted = new ArrayList<>(List.of("method", "route"));
        Arrays.stream(Caller.values()).map(Caller::name).forEach(wanted::add);
        wanted.add("request");
        if (!header.equals(wanted)) {
            problems.add("the table header must be exactly | " + String.join(" | ", wanted) + " | but is | "
                    + String.join(" | ", header) + " |");
        }
        return problems;
    }

    private static Row row(int line, List<String> header, List<String> cells, List<String> problems) {
        String method = cells.get(0);
        String route = cells.get(1);
        int before = problems.size();
        if (!method.matches("GET|POST|PUT|PATCH|DELETE|" + ANY_METHOD)) {
            problems.add("line " + line + ": unknown method '" + method + "'");
        }
        if (!route.startsWith("/")) {
            problems.add("line " + line + ": route '" + route + "' must start with /");
        }
        Map<Caller, Integer> expected = new EnumMap<>(Caller.class);
        for (Caller caller : Caller.values()) {
            int column = header.indexOf(caller.name());
            String cell = column < 0 ? "" : cells.get(column);
            if (cell.matches("[1-5][0-9][0-9]")) {
                expected.put(caller, Integer.parseInt(cell));
            } else {
                problems.add("line " + line + ": " + method + " " + route + " has no status for " + caller
                        + " (found '" + cell + "')");
            }
        }
        Recipe recipe = recipe(line, route, cells.get(cells.size() - 1), problems);
        return problems.size() == before ? new Row(line, method, route, expected, recipe) : null;
    }

    private static Recipe recipe(int line, String route, String cell, List<String> problems) {
        Map<String, String> variables = new LinkedHashMap<>();
        String path = null;
        String query = null;
        String body = null;
        boolean fresh = false;
        String rest = cell;
        while (!rest.isEmpty()) {
            if (rest.startsWith("body=")) {
                body = rest.substring("body=".length());
                break;
            }
            int space = rest.indexOf(' ');
            String token = space < 0 ? rest : rest.substring(0, space);
            rest = space < 0 ? "" : rest.substring(space + 1).strip();
            if (token.equals("fresh-login")) {
                fresh = true;
            } else if (token.startsWith("?")) {
                query = token.substring(1);
            } else if (token.startsWith("path=/")) {
                path = token.substring("path=".length());
            } else if (token.matches("[A-Za-z]+=[a-z][a-z0-9.-]*")) {
                variables.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
            } else {
                problems.add("line " + line + ": cannot read '" + token + "' in the request column");
            }
        }
        if (path == null) {
            Matcher m = PATH_VARIABLE.matcher(route);
            while (m.find()) {
                if (!variables.containsKey(m.group(1))) {
                    problems.add("line " + line + ": path variable {" + m.group(1) + "} of " + route
                            + " is not bound (write " + m.group(1) + "=<fixture> in the request column)");
                }
            }
            if (route.contains("*")) {
                problems.add("line " + line + ": " + route + " is a pattern; name a concrete path=/… to call");
            }
        }
        return new Recipe(variables, path, query, body, fresh);
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") && line.length() > 1 ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            String c = cell.strip();
            if (c.length() >= 2 && c.startsWith("`") && c.endsWith("`")) {
                c = c.substring(1, c.length() - 1).strip();
            }
            cells.add(c);
        }
        return cells;
    }

    /**
     * The rules every row must follow, whatever the code does: nothing is expected to fail with a
     * 5xx; a route that refuses anonymous callers refuses expired and unknown-key tokens the same
     * way (401); and a row that reaches a record of clinic A expects the other-clinic caller to get
     * 404 when a clinic role gets past authorization on it (a 403, 200 or 409 would confirm that the
     * record exists), or
     * else exactly the refusal clinic A's own administrator gets.
     */
    /** Any answer but a refusal (401, 403, 404): a 2xx, or a 409/422 about the record's state. */
    private static boolean getsPastAuthorization(int status) {
        return status < 500 && status != 401 && status != 403 && status != 404;
    }

    List<String> ruleViolations(java.util.function.Predicate<String> ofClinicA) {
        List<String> violations = new ArrayList<>();
        for (Row row : rows) {
            String where = "line " + row.line() + " (" + row.key() + "): ";
            row.expected().forEach((caller, status) -> {
                if (status >= 500) {
                    violations.add(where + caller + " is expected to get " + status + "; no call may fail with a 5xx");
                }
            });
            if (row.expected(Caller.ANONYMOUS) == 401) {
                for (Caller forged : new Caller[] {Caller.EXPIRED_TOKEN, Caller.UNKNOWN_KEY}) {
                    if (row.expected(forged) != 401) {
                        violations.add(where + forged + " must be 401 on a route that refuses anonymous callers");
                    }
                }
            }
            if (row.recipe().fixturesNamed().stream().anyMatch(ofClinicA)) {
                boolean clinicRoleMayAct = Arrays.stream(Caller.values())
                        .anyMatch(c -> c.isClinicRole() && getsPastAuthorization(row.expected(c)));
                int wanted = clinicRoleMayAct ? 404 : row.expected(Caller.CLINIC_ADMIN);
                if (row.expected(Caller.OTHER_CLINIC) != wanted) {
                    violations.add(where + "OTHER_CLINIC reaches clinic A's records and must get " + wanted
                            + ", not " + row.expected(Caller.OTHER_CLINIC));
                }
            }
        }
        return violations;
    }

    /**
     * The role clinic B's user has when playing OTHER_CLINIC on a row: the first clinic role that
     * succeeds on it in its own clinic (so a refusal can only come from the clinic boundary), or the
     * clinic administrator when none does.
     */
    static io.healthcarebackend.platform.Role otherClinicRole(Row row) {
        return Arrays.stream(Caller.values()).filter(c -> c.isClinicRole() && row.expected(c) / 100 == 2)
                .findFirst().orElse(Caller.CLINIC_ADMIN).role().orElseThrow();
    }

    /** The concrete path for a call: the row's path, or its route with each variable replaced. */
    static String concretePath(Row row, java.util.function.UnaryOperator<String> fixture) {
        if (row.recipe().path() != null) {
            return row.recipe().path();
        }
        Matcher m = PATH_VARIABLE.matcher(row.route());
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(path, Matcher.quoteReplacement(fixture.apply(row.recipe().pathVariables()
                    .get(m.group(1)))));
        }
        m.appendTail(path);
        return path.toString();
    }
}
