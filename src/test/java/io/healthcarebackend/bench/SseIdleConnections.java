package io.healthcarebackend.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens N idle connections to {@code GET /api/v1/events/stream} of a running service and holds
 * them: the load behind {@code make bench-sse} (scripts/sse-bench.sh, docs/benchmarks.md). One
 * thread, non-blocking sockets, a few bytes of state per connection, so the load generator itself
 * stays small next to the service it measures. Plain JDK; run it from source:
 *
 * <pre>
 * java src/test/java/io/healthcarebackend/bench/SseIdleConnections.java \
 *     --url http://127.0.0.1:18089 --connections 10000 --hold 90 --tokens-file tokens.txt
 * </pre>
 *
 * Options: {@code --url} (the service), {@code --connections} (N), {@code --hold} (seconds to keep
 * them open once all are open), {@code --tokens-file} (access tokens, one per line, used in turn),
 * {@code --in-flight} (connections opening at once, 200), {@code --open-file} (written when all are
 * open, so a script can measure the service then). It reports how many streams opened (HTTP 200
 * and the {@code ready} event), how many were refused and with which status, how many the server
 * ended early, the heartbeats received, and for every appointment event seen, how many streams got
 * it and how far apart the first and last arrival were. Lines starting with {@code RESULT} are for
 * scripts.
 */
public final class SseIdleConnections {

    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One connection: its socket, the request still to send, what it has seen. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer request;
        final StringBuilder head = new StringBuilder();
        /** The end of the last read, so a marker split across two reads is still found. */
        String tail = "";
        int status;
        boolean ready;
        boolean closed;
        int heartbeats;

        Connection(SocketChannel channel, ByteBuffer request) {
            this.channel = channel;
            this.request = request;
        }
    }

    private final InetSocketAddress address;
    private final List<byte[]> requests = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Map<Integer, Integer> refusedByStatus = new TreeMap<>();
    /** Appointment event id → {arrivals, first nanos, last nanos}. */
    private final Map<String, long[]> arrivals = new TreeMap<>();
    private int connectFailures;
    private int endedEarly;
    /** Connections neither streaming (ready) nor closed yet. */
    private int opening;

    private SseIdleConnections(URI url, List<String> tokens) {
        this.address = new InetSocketAddress(url.getHost(), url.getPort());
        for (String token : tokens) {
            requests.add(("GET /api/v1/events/stream HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:18089"));
        int count = Integer.parseInt(options.getOrDefault("connections", "10000"));
        long holdSeconds = Long.parseLong(options.getOrDefault("hold", "60"));
        int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "200"));
        List<String> tokens = Files.readAllLines(Path.of(options.get("tokens-file"))).stream().map(String::strip)
                .filter(t -> !t.isEmpty()).toList();
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no tokens in " + options.get("tokens-file"));
        }
        SseIdleConnections load = new SseIdleConnections(url, tokens);
        load.run(count, inFlight, holdSeconds, options.get("open-file"));
    }

    private void run(int count, int inFlight, long holdSeconds, String openFile) throws IOException {
        long started = System.nanoTime();
        try (Selector selector = Selector.open()) {
            int next = 0;
            long allOpenAt = 0;
            long holdUntil = Long.MAX_VALUE;
            long lastProgress = System.nanoTime();
            while (System.nanoTime() < holdUntil) {
                while (next < count && opening < inFlight) {
                    open(selector, next++);
                }
                selector.select(250);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
                if (allOpenAt == 0 && next == count && opening == 0) {
                    allOpenAt = System.nanoTime();
                    holdUntil = allOpenAt + holdSeconds * 1_000_000_000L;
                    long ready = connections.stream().filter(c -> c.ready).count();
                    System.out.printf("all %d attempts done in %.1f s: %d streams open; holding for %d s%n", count,
                            (allOpenAt - started) / 1e9, ready, holdSeconds);
                    System.out.println("RESULT open_seconds=" + String.format("%.1f", (allOpenAt - started) / 1e9));
                    if (openFile != null) {
                        Files.writeString(Path.of(openFile), Long.toString(ready));
                    }
                }
                if (System.nanoTime() - lastProgress > 5_000_000_000L) {
                    lastProgress = System.nanoTime();
                    System.out.printf("  %d attempted, %d open, %d ended early, %d refused, %d failed to connect%n",
                            next, connections.stream().filter(c -> c.ready && !c.closed).count(), endedEarly,
                            refusedByStatus.values().stream().mapToInt(Integer::intValue).sum(), connectFailures);
                }
            }
            report();
            for (Connection c : connections) {
                c.channel.close();
            }
        }
    }

    private void open(Selector selector, int index) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        Connection connection = new Connection(channel, ByteBuffer.wrap(requests.get(index % requests.size())));
        connections.add(connection);
        opening++;
        try {
            if (channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_WRITE, connection);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, connection);
            }
        } catch (IOException e) {
            fail(connection);
        }
    }

    private void handle(SelectionKey key) {
        Connection c = (Connection) key.attachment();
        try {
            if (key.isConnectable()) {
                c.channel.finishConnect();
                key.interestOps(SelectionKey.OP_WRITE);
            } else if (key.isWritable()) {
                c.channel.write(c.request);
                if (!c.request.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } else if (key.isReadable()) {
                read(key, c);
            }
        } catch (IOException e) {
            key.cancel();
            fail(c);
        }
    }

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);

    private void read(SelectionKey key, Connection c) throws IOException {
        buffer.clear();
        int n = c.channel.read(buffer);
        if (n < 0) {
            key.cancel();
            c.channel.close();
            if (!c.closed) {
                c.closed = true;
                if (c.ready) {
                    endedEarly++;
                } else {
                    opening--;
                    refusedByStatus.merge(c.status, 1, Integer::sum);
                }
            }
            return;
        }
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (c.status == 0) {
            c.head.append(text);
            int end = c.head.indexOf(new String(END_OF_HEAD, StandardCharsets.ISO_8859_1));
            if (end < 0) {
                return;
            }
            String head = c.head.substring(0, end);
            c.status = Integer.parseInt(head.substring(9, 12));
            text = c.head.substring(end + 4);
            c.head.setLength(0);
            if (c.status != 200) {
                refusedByStatus.merge(c.status, 1, Integer::sum);
                opening--;
                c.closed = true;
                key.cancel();
                c.channel.close();
                return;
            }
        }
        scan(c, c.tail + text);
    }

    /** Counts what the stream carried: its ready event, heartbeats, appointment events by id. */
    private void scan(Connection c, String text) {
        long now = System.nanoTime();
        int from = c.tail.length();
        if (!c.ready && text.contains("event:ready")) {
            c.ready = true;
            opening--;
        }
        for (int at = text.indexOf(":heartbeat"); at >= 0; at = text.indexOf(":heartbeat", at + 1)) {
            if (at + ":heartbeat".length() > from) {
                c.heartbeats++;
            }
        }
        for (int at = text.indexOf("\nid:"); at >= 0; at = text.indexOf("\nid:", at + 1)) {
            int lineEnd = text.indexOf('\n', at + 1);
            int eventLine = lineEnd < 0 ? -1 : text.indexOf('\n', lineEnd + 1);
            if (lineEnd < 0 || eventLine < 0 || eventLine <= from) {
                continue;
            }
            String id = text.substring(at + 4, lineEnd).strip();
            String event = text.substring(lineEnd + 1, eventLine).strip();
            if (event.startsWith("event:") && !event.equals("event:ready") && !event.equals("event:reset")) {
                long[] seen = arrivals.computeIfAbsent(event.substring(6) + " " + id, k -> new long[] {0, now, now});
                seen[0]++;
                seen[2] = now;
            }
        }
        c.tail = text.length() > 200 ? text.substring(text.length() - 200) : text;
    }

    private void fail(Connection c) {
        if (!c.closed) {
            c.closed = true;
            if (c.ready) {
                endedEarly++;
            } else {
                opening--;
                connectFailures++;
            }
        }
        try {
            c.channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void report() {
        long open = connections.stream().filter(c -> c.ready && !c.closed).count();
        long heartbeats = connections.stream().mapToLong(c -> c.heartbeats).sum();
        System.out.println("streams open at the end of the hold: " + open + " of " + connections.size());
        System.out.println("refused (by HTTP status): " + refusedByStatus + "; failed to connect: " + connectFailures
                + "; ended by the server during the hold: " + endedEarly);
        System.out.println("heartbeats received: " + heartbeats);
        arrivals.forEach((event, seen) -> System.out.printf("event %s reached %d streams; first to last arrival %.0f ms%n",
                event, seen[0], (seen[2] - seen[1]) / 1e6));
        System.out.println("RESULT open=" + open + " attempted=" + connections.size() + " refused="
                + refusedByStatus.values().stream().mapToInt(Integer::intValue).sum() + " failed=" + connectFailures
                + " ended_early=" + endedEarly + " heartbeats=" + heartbeats);
        arrivals.forEach((event, seen) -> System.out.println("RESULT event=" + event.replace(' ', '/') + " reached="
                + seen[0] + " spread_ms=" + Math.round((seen[2] - seen[1]) / 1e6)));
    }
}
