package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point-in-time recovery: the WAL archive scripts and make pitr-drill on a scratch cluster. */
class PitrDrillIT {

    @TempDir
    Path work;

    @Test
    void theDrillRestoresExactlyTheCommitsBeforeTheTargetAndReportsRtoAndRpo() {
        Commands.Result drill = Commands.run(Duration.ofSeconds(120), Map.of("DRILL_ARCHIVE_TIMEOUT", "5s"),
                "make", "--no-print-directory", "pitr-drill");

        assertThat(drill.exitCode()).as(drill.output()).isZero();
        assertThat(drill.output())
                .contains("archive_mode on, archive_timeout 5s")
                .containsPattern("base backup: [0-9.]+ s, \\d+ MB")
                .contains("recovery stopping before commit of transaction")
                .contains("rows before the target present: 1,2,3,4,5,6,7,8,9,10 (expected 1,2,3,4,5,6,7,8,9,10);"
                        + " rows after the target: 0; update and delete after the target undone: yes")
                .containsPattern("RTO: [0-9.]+ s from the start of the restore to promoted and answering")
                .containsPattern("RPO: [0-9.]+ s measured for the last commit \\(bound: archive_timeout = 5s\\);"
                        + " rows committed before the target lost: 0")
                .endsWith("pitr-drill: RESULT PASS\n");
        Matcher scratch = Pattern.compile(" in (/\\S+) \\(Unix socket only").matcher(drill.output());
        assertThat(scratch.find()).as("the drill names its scratch directory").isTrue();
        assertThat(Path.of(scratch.group(1))).as("the drill removes its scratch cluster").doesNotExist();
    }

    @Test
    void theArchiveCommandCopiesASegmentOnceAndNeverOverwritesADifferentOne() throws Exception {
        Path archive = Files.createDirectory(work.resolve("archive"));
        Path segment = Files.writeString(work.resolve("000000010000000000000001"), "first segment");
        String script = "deploy/postgres/archive-wal.sh";

        assertThat(archive(script, segment, archive).exitCode()).isZero();
        assertThat(archive.resolve(segment.getFileName())).hasContent("first segment");
        assertThat(archive(script, segment, archive).exitCode()).as("the same segment again (a retry) is fine").isZero();

        Files.writeString(segment, "a different segment of the same name");
        Commands.Result clash = archive(script, segment, archive);
        assertThat(clash.exitCode()).isEqualTo(1);
        assertThat(clash.output()).contains("refusing to overwrite");
        assertThat(archive.resolve(segment.getFileName())).hasContent("first segment");
        try (var files = Files.list(archive)) {
            assertThat(files).as("no temporary file left behind").hasSize(1);
        }

        Path restored = work.resolve("restored");
        assertThat(Commands.run(Duration.ofSeconds(10), "deploy/postgres/restore-wal.sh",
                segment.getFileName().toString(), restored.toString(), archive.toString()).exitCode()).isZero();
        assertThat(restored).hasContent("first segment");
        assertThat(Commands.run(Duration.ofSeconds(10), "deploy/postgres/restore-wal.sh",
                "000000010000000000000002", work.resolve("missing").toString(), archive.toString()).exitCode())
                .as("a segment not in the archive is reported missing, which ends recovery").isEqualTo(1);
    }

    private static Commands.Result archive(String script, Path segment, Path archive) {
        return Commands.run(Duration.ofSeconds(10), script, segment.toString(), segment.getFileName().toString(),
                archive.toString());
    }
}
