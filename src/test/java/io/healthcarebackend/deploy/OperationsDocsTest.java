package io.healthcarebackend.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbooks, the deployment docs and the CI/CD workflows name only commands, files and pages
 * that exist: an operator who follows them in an incident never meets "no rule to make target".
 */
class OperationsDocsTest {

    /** {@code make x} starting a command line (after environment assignments, or a workflow's {@code run:}). */
    private static final Pattern MAKE_TARGET = Pattern.compile(
            "(?m)^\\s*(?:-\\s+)?(?:run:\\s*)?(?:[A-Z_]+=\\S+\\s+)*make ([a-z][a-z0-9-]+)");
    private static final Pattern FENCE = Pattern.compile("(?s)```[a-z]*\\n(.*?)```");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern REPO_PATH = Pattern.compile(
            "(?<![\\w/.-])((?:scripts|deploy|docs|make|\\.github|\\.ci)/[A-Za-z0-9_./-]*[A-Za-z0-9_])");
    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");

    /** What operators read: runbooks, deployment docs, the README's deployment section, the workflows. */
    static List<Path> operatorDocuments() throws IOException {
        List<Path> docs = new ArrayList<>();
        try (Stream<Path> runbooks = Files.list(Path.of("docs/runbooks"))) {
            runbooks.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        for (String doc : List.of("docs/containers.md", "docs/kubernetes.md", "docs/local-cluster.md", "README.md")) {
            docs.add(Path.of(doc));
        }
        try (Stream<Path> workflows = Files.list(Path.of(".github/workflows"))) {
            workflows.sorted().forEach(docs::add);
        }
        return docs;
    }

    static Set<String> makeTargets() throws IOException {
        Set<String> targets = new TreeSet<>();
        List<Path> makefiles = new ArrayList<>(List.of(Path.of("Makefile")));
        try (Stream<Path> parts = Files.list(Path.of("make"))) {
            parts.filter(p -> p.toString().endsWith(".mk")).forEach(makefiles::add);
        }
        Pattern rule = Pattern.compile("(?m)^([a-z][a-z0-9-]*):(?!=)");
        for (Path makefile : makefiles) {
            Matcher m = rule.matcher(Files.readString(makefile));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    @Test
    void everyMakeTargetTheOperatorDocsNameExists() throws IOException {
        Set<String> targets = makeTargets();
        List<String> missing = new ArrayList<>();
        int named = 0;
        for (Path doc : operatorDocuments()) {
            Matcher m = MAKE_TARGET.matcher(commands(doc));
            while (m.find()) {
                named++;
                if (!targets.contains(m.group(1))) {
                    missing.add(doc + ": make " + m.group(1));
                }
            }
        }
        assertThat(named).as("make commands named by the operator docs").isGreaterThan(30);
        assertThat(missing).as("make targets named in docs but defined nowhere").isEmpty();
    }

    @Test
    void everyRepositoryPathTheOperatorDocsNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path doc : operatorDocuments()) {
            Matcher m = REPO_PATH.matcher(Files.readString(doc));
            while (m.find()) {
                String path = m.group(1);
                if (!path.contains("<") && !Files.exists(Path.of(path)) && !generated(path)) {
                    missing.add(doc + ": " + path);
                }
            }
        }
        assertThat(missing).as("files named in docs that the repository does not have").isEmpty();
    }

    @Test
    void everyRelativeLinkOfTheOperatorDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : operatorDocuments()) {
            Matcher m = MD_LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.exists(doc.toAbsolutePath().getParent().resolve(target))) {
                    broken.add(doc + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void makeHelpListsTheOperatorTargets() {
        String help = Commands.run(Duration.ofSeconds(30), "make", "--no-print-directory", "help").orFail()
                .output();
        for (String target : List.of("start", "stop", "restart", "logs", "prod-up", "prod-down", "prod-logs",
                "k8s-render", "k8s-local-deploy", "k8s-local-stop", "k8s-deploy", "k8s-rollback", "db-backup",
                "db-restore", "cluster-up", "cluster-down", "cluster-roll", "cluster-drill", "lint", "test", "run")) {
            assertThat(help).as("make help lists " + target).containsPattern("(?m)^\\s+(\\S+\\[\\d+m)?" + target + "\\b");
        }
    }

    @Test
    void theChecksFindAMissingTargetAndAMissingFileButNotProse(@TempDir Path dir)
            throws IOException {
        Path doc = Files.writeString(dir.resolve("doc.md"),
                "To recover, make it primary.\nThen run `make no-such-target`, see scripts/no-such-script.sh.\n");
        Matcher target = MAKE_TARGET.matcher(commands(doc));
        List<String> found = new ArrayList<>();
        while (target.find()) {
            found.add(target.group(1));
        }
        assertThat(found).containsExactly("no-such-target");
        Matcher path = REPO_PATH.matcher(Files.readString(doc));
        assertThat(path.find()).isTrue();
        assertThat(path.group(1)).isEqualTo("scripts/no-such-script.sh");
        assertThat(Files.exists(Path.of(path.group(1)))).isFalse();
    }

    /**
     * The command text of a document: for Markdown its code blocks and inline code spans, one per
     * line (prose such as "make it primary" is not a command); a workflow is all commands.
     */
    static String commands(Path doc) throws IOException {
        String text = Files.readString(doc);
        if (!doc.toString().endsWith(".md")) {
            return text;
        }
        StringBuilder commands = new StringBuilder();
        Matcher fence = FENCE.matcher(text);
        while (fence.find()) {
            commands.append(fence.group(1)).append('\n');
        }
        Matcher inline = INLINE_CODE.matcher(FENCE.matcher(text).replaceAll(""));
        while (inline.find()) {
            commands.append(inline.group(1)).append('\n');
        }
        return commands.toString();
    }

    /** Paths the docs name that exist only once a command ran (build output, local state). */
    private static boolean generated(String path) {
        return path.equals("deploy/compose/prod.env") || path.startsWith("deploy/compose/secrets");
    }
}
