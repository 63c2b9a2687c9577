package io.healthcarebackend.deploy.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.healthcarebackend.support.Commands;
import io.healthcarebackend.support.Ports;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The off-site copy: db-backup.sh with BACKUP_S3_URI uploads each artefact with its checksum and
 * manifest through the aws CLI to an S3-compatible server (s3rver from npm, installed into target/
 * on first use), the data and the key store to separate buckets.
 */
class BackupUploadIT {

    private static final String S3RVER = "target/s3rver/node_modules/.bin/s3rver";

    @TempDir
    Path work;

    @Test
    void theArtefactsGoToTheirOwnBucketsByteForByteAndAMissingBucketFailsTheBackup() throws Exception {
        installS3rver();
        int port = Ports.free();
        Process server = new ProcessBuilder(S3RVER, "--directory", Files.createDirectory(work.resolve("s3")).toString(),
                "--address", "127.0.0.1", "--port", String.valueOf(port), "--configure-bucket", "backups",
                "--configure-bucket", "key-backups").directory(Commands.root().toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("s3rver.log").toFile()).start();
        try {
            awaitListening(port, server);
            Map<String, String> s3 = new HashMap<>(Map.of("AWS_ACCESS_KEY_ID", "S3RVER", "AWS_SECRET_ACCESS_KEY", "S3RVER",
                    "AWS_DEFAULT_REGION", "us-east-1", "BACKUP_S3_ENDPOINT", "http://127.0.0.1:" + port,
                    "BACKUP_S3_URI", "s3://backups/nightly", "BACKUP_S3_KEYS_URI", "s3://key-backups/nightly"));
            BackupScripts backups = new BackupScripts(work);

            Commands.Result backup = backups.backup(s3).orFail();

            assertThat(backup.output()).contains("uploaded data/", "uploaded keys/");
            for (String kind : List.of("data", "keys")) {
                Path local = backups.newest(kind);
                String remote = (kind.equals("data") ? "s3://backups/nightly/data/" : "s3://key-backups/nightly/")
                        + local.getFileName();
                for (String suffix : List.of("", ".sha256", ".manifest.json")) {
                    Path downloaded = work.resolve("downloaded-" + kind + suffix);
                    Commands.run(Duration.ofSeconds(30), s3, "aws", "--endpoint-url", s3.get("BACKUP_S3_ENDPOINT"), "s3", "cp",
                            "--only-show-errors", remote + suffix, downloaded.toString()).orFail();
                    assertThat(Files.readAllBytes(downloaded)).isEqualTo(Files.readAllBytes(Path.of(local + suffix)));
                }
            }

            s3.put("BACKUP_S3_URI", "s3://no-such-bucket/nightly");
            Commands.Result failed = backups.backup(s3);
            assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
            assertThat(failed.output()).contains("ERROR: upload of data/").contains("the local artefact is kept");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void installS3rver() {
        if (Files.isExecutable(Commands.root().resolve(S3RVER))) {
            return;
        }
        Commands.Result npm = Commands.run(Duration.ofSeconds(180), "sh", "-c",
                "command -v npm >/dev/null || { echo 'npm is missing: install Node.js (Debian: apt-get install npm)'; exit 1; };"
                        + " npm install --silent --no-audit --no-fund --prefix target/s3rver s3rver@3.7.1");
        assertThat(npm.exitCode()).as("installing the S3-compatible test server s3rver from npm:\n%s", npm.output()).isZero();
    }

    private static void awaitListening(int port, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            assertThat(server.isAlive()).as("s3rver exited").isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("s3rver listens in time").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }
}
