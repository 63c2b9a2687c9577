package io.healthcarebackend.deploy.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** HAProxy's runtime API (the cluster's admin stats socket), read directly rather than through the script under test. */
final class HaproxyRuntimeApi {

    private final Path socket;

    HaproxyRuntimeApi(Path socket) {
        this.socket = socket;
    }

    /** One command's whole answer (HAProxy closes the connection after answering a non-interactive command). */
    String command(String command) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("HAProxy's runtime API at " + socket + " did not answer", e);
        }
    }

    /** "show stat" of one proxy as rows keyed by service name (a server's name, FRONTEND or BACKEND), each column by name. */
    Map<String, Map<String, String>> stats(String proxy) {
        List<String> lines = command("show stat " + proxy + " -1 -1").lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
            throw new IllegalStateException("unexpected answer to show stat: " + lines);
        }
        String[] columns = lines.getFirst().substring(2).split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < Math.min(columns.length, values.length); i++) {
                row.put(columns[i], values[i]);
            }
            rows.put(row.get("svname"), row);
        }
        return rows;
    }
}
