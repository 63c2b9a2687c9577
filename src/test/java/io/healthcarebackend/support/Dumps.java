package io.healthcarebackend.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code pg_dump} of the test databases, as an operator's backup would be taken. */
public final class Dumps {

    private Dumps() {
    }

    /** Schema and data of one database, in plain SQL format. */
    public static String dump(String database) {
        try {
            Process p = new ProcessBuilder("pg_dump", "-h", TestDatabase.HOST, "-p", TestDatabase.PORT, "-U",
                    "postgres", "--no-owner", "-d", database).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_dump failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One row of a table in a plain dump (COPY text format), by its first column; bytea as bytes. */
    public static Map<String, String> row(String dump, String table, String firstColumn) {
        String[] lines = dump.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("COPY public." + table + " (")) {
                String header = lines[i].substring(lines[i].indexOf('(') + 1, lines[i].indexOf(')'));
                List<String> columns = new ArrayList<>(List.of(header.split(", ")));
                for (int j = i + 1; j < lines.length && !lines[j].equals("\\."); j++) {
                    String[] values = lines[j].split("\t", -1);
                    if (values[0].equals(firstColumn)) {
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int k = 0; k < columns.size(); k++) {
                            row.put(columns.get(k), values[k]);
                        }
                        return row;
                    }
                }
            }
        }
        throw new IllegalStateException("no row " + firstColumn + " of " + table + " in the dump");
    }

    /** A bytea value as COPY writes it ({@code \\x0a1b…}). */
    public static byte[] bytea(String copyValue) {
        return HexFormat.of().parseHex(copyValue.substring(3));
    }

    /**
     * The forms of those values that the dump holds, ignoring case: each value as text, as hex and
     * as base64 ({@link #encodings}). A test that no plaintext reaches a backup asserts this empty.
     */
    public static List<String> found(String dump, Collection<String> values) {
        String folded = dump.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String value : values) {
            for (String form : encodings(value)) {
                if (folded.contains(form.toLowerCase(Locale.ROOT))) {
                    found.add(form);
                }
            }
        }
        return found;
    }

    /**
     * The forms a value could take in a dump: as text, as hex (how bytea dumps), and as base64 at
     * each of the three alignments (only the characters the value alone determines).
     */
    static java.util.List<String> encodings(String value) {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.List<String> forms = new java.util.ArrayList<>(
                java.util.List.of(value, java.util.HexFormat.of().formatHex(bytes)));
        for (int shift = 0; shift < 3; shift++) {
            byte[] padded = new byte[bytes.length + shift];
            System.arraycopy(bytes, 0, padded, shift, bytes.length);
            String b64 = java.util.Base64.getEncoder().withoutPadding().encodeToString(padded);
            // Skip the characters that mix in the padding bytes; the rest is fixed by the value.
            int skip = shift == 0 ? 0 : shift + 1;
            forms.add(b64.substring(skip, Math.max(skip, b64.length() - 2)));
        }
        return forms;
    }
}
