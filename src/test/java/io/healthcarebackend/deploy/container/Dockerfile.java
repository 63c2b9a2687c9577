package io.healthcarebackend.deploy.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, grouped by stage: enough of the format (comments, line
 * continuations, exec-form JSON arrays, ENV pairs, instruction flags) to check the image's policy
 * and to reproduce its runtime stage without a container engine.
 */
record Dockerfile(List<Stage> stages) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    /** One instruction: its keyword (upper case) and its arguments as written (continuations joined). */
    record Instruction(String keyword, String arguments) {

        /** The leading {@code --flag=value} options of COPY, HEALTHCHECK, RUN … */
        Map<String, String> flags() {
            Map<String, String> flags = new LinkedHashMap<>();
            for (String word : arguments.split("\\s+")) {
                if (!word.startsWith("--")) {
                    break;
                }
                int eq = word.indexOf('=');
                flags.put(eq < 0 ? word.substring(2) : word.substring(2, eq), eq < 0 ? "" : word.substring(eq + 1));
            }
            return flags;
        }

        /** The arguments after the leading flags. */
        String withoutFlags() {
            String rest = arguments;
            while (rest.startsWith("--")) {
                int space = rest.indexOf(' ');
                rest = space < 0 ? "" : rest.substring(space + 1).strip();
            }
            return rest;
        }

        /** The exec form (a JSON array of strings), or empty when the shell form is used. */
        Optional<List<String>> execForm() {
            String text = keyword.equals("HEALTHCHECK") ? withoutFlags().replaceFirst("^CMD\\s+", "") : withoutFlags();
            if (!text.startsWith("[")) {
                return Optional.empty();
            }
            try {
                return Optional.of(Arrays.asList(JSON.readValue(text, String[].class)));
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        }
    }

    /** A build stage: its FROM image, its name (AS …) if any, and its instructions after FROM. */
    record Stage(String image, String name, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** Every ENV variable the stage sets (key=value form), in order. */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction instruction : all("ENV")) {
                Matcher m = ENV_PAIR.matcher(instruction.arguments());
                while (m.find()) {
                    String value = m.group(2);
                    if (value.startsWith("\"")) {
                        value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
                    }
                    env.put(m.group(1), value);
                }
            }
            return env;
        }
    }

    static Dockerfile read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (logical.isEmpty() && (stripped.isEmpty() || stripped.startsWith("#"))) {
                continue;
            }
            if (!logical.isEmpty() && stripped.startsWith("#")) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                logical.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            logical.append(stripped);
            String instruction = logical.toString().strip().replaceAll("\\s+", " ");
            logical.setLength(0);
            int space = instruction.indexOf(' ');
            String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
            String arguments = space < 0 ? "" : instruction.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                String[] words = arguments.split(" ");
                String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                current = new ArrayList<>();
                stages.add(new Stage(words[0], name, current));
            } else if (current != null) {
                current.add(new Instruction(keyword, arguments));
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    Stage runtime() {
        return stages.getLast();
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst();
    }
}
