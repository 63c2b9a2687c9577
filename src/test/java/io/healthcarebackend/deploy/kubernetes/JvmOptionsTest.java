package io.healthcarebackend.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.healthcarebackend.support.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pods' JVM starts with the options it really gets: the image's entrypoint flags and its
 * JDK_JAVA_OPTIONS default, replaced or joined by what the overlay's ConfigMap sets, in a container
 * with the overlay's memory limit (emulated with -XX:MaxRAM). Two collectors selected, or a heap
 * that does not follow the limit, would fail every pod at start in a real cluster.
 */
class JvmOptionsTest {

    static final List<String> OVERLAYS = Rendered.OVERLAYS;
    private static final Pattern IMAGE_JDK_OPTIONS = Pattern.compile("(?m)^\\s*JDK_JAVA_OPTIONS=\"([^\"]*)\"");
    private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]\\s*$");

    /** The java command of the image's exec-form ENTRYPOINT, the main class replaced by a flag dump. */
    private static List<String> entrypointFlags(String dockerfile) {
        Matcher m = ENTRYPOINT.matcher(dockerfile);
        assertThat(m.find()).as("the Dockerfile has an exec-form ENTRYPOINT").isTrue();
        List<String> args = new ArrayList<>();
        for (String quoted : m.group(1).split(",")) {
            args.add(quoted.trim().replaceAll("^\"|\"$", ""));
        }
        assertThat(args.getFirst()).isEqualTo("java");
        return args.subList(1, args.size() - 1);
    }

    private static Map<String, Long> flagsOf(String output) {
        Map<String, Long> flags = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*\\w+\\s+(\\w+)\\s+=\\s+(\\w+)").matcher(output);
        while (m.find()) {
            String value = m.group(2);
            flags.put(m.group(1), value.equals("true") ? 1L : value.equals("false") ? 0L
                    : value.matches("\\d{1,18}") ? Long.parseLong(value) : -1L);
        }
        return flags;
    }

    static Map<String, Long> startJvm(Map<String, String> env, long memoryLimitBytes) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(entrypointFlags(Files.readString(Path.of("Dockerfile"))));
        command.addAll(List.of("-XX:MaxRAM=" + memoryLimitBytes, "-XX:+PrintFlagsFinal", "-version"));
        Map<String, String> environment = new HashMap<>(env);
        environment.putIfAbsent("JAVA_TOOL_OPTIONS", "");
        Commands.Result started = Commands.run(Duration.ofSeconds(60), environment, command);
        assertThat(started.exitCode()).as("the JVM starts with " + env + ":\n" + started.output()).isZero();
        return flagsOf(started.output());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void thePodsJvmStartsWithOneCollectorAndAHeapThatFollowsTheMemoryLimit(String overlay) throws IOException {
        Rendered rendered = Rendered.overlay(overlay);
        Map<String, String> config = rendered.configMap("healthcare-backend-config").getData();
        String imageDefault = imageJdkOptions();
        for (String deployment : List.of("healthcare-backend-api", "healthcare-backend-worker")) {
            Container app = rendered.workloads().stream().filter(w -> w.name().equals(deployment)).findFirst()
                    .orElseThrow().template().getSpec().getContainers().getFirst();
            long limit = Quantity.getAmountInBytes(app.getResources().getLimits().get("memory")).longValueExact();
            Map<String, String> env = new HashMap<>();
            env.put("JDK_JAVA_OPTIONS", config.getOrDefault("JDK_JAVA_OPTIONS", imageDefault));
            env.put("JAVA_TOOL_OPTIONS", config.getOrDefault("JAVA_TOOL_OPTIONS", ""));

            Map<String, Long> flags = startJvm(env, limit);

            long collectors = flags.entrySet().stream()
                    .filter(f -> f.getKey().matches("Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon)GC") && f.getValue() == 1)
                    .count();
            assertThat(collectors).as(overlay + " " + deployment + ": one garbage collector").isEqualTo(1);
            assertThat(flags.get("ExitOnOutOfMemoryError")).as("an OutOfMemoryError ends the process").isEqualTo(1);
            double heapShare = (double) flags.get("MaxHeapSize") / limit;
            assertThat(heapShare).as(overlay + " " + deployment + ": heap share of the " + limit + "-byte limit")
                    .isBetween(0.45, 0.75);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-XX:+UseG1GC"})
    void aSecondCollectorBesideTheImagesDefaultIsCaught(String toolOptions) throws IOException {
        Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", imageJdkOptions(), "JAVA_TOOL_OPTIONS", toolOptions);
        assertThatThrownBy(() -> startJvm(env, 1L << 30))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Multiple garbage collectors selected");
    }

    private static String imageJdkOptions() throws IOException {
        Matcher m = IMAGE_JDK_OPTIONS.matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(m.find()).as("the Dockerfile sets a JDK_JAVA_OPTIONS default").isTrue();
        return m.group(1);
    }
}
