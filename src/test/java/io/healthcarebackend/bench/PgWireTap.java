package io.healthcarebackend.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between PostgreSQL clients and the server that records what every client connection
 * sends: each statement it executes (its text, as the server receives it, with {@code $n} for the
 * parameters) and where its round trips end (Sync). It decodes the client side of the PostgreSQL
 * v3 wire protocol only; the server's answers are copied through untouched. Encryption requests
 * (SSL, GSS) are answered "no" by the relay itself, so it always sees plain text: a tool for
 * measuring and testing against a local server, never for production traffic.
 *
 * <p>This is how the benchmark's DB-only ceiling (bench/ceiling/*.sql, docs/benchmarks.md) is
 * checked against what the service really sends: {@link CeilingDriftCheck} and
 * {@code CeilingStatementsTest} point the service's data source at a tap and compare.
 */
public final class PgWireTap implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    /**
     * What a client sent: a statement executed ({@code sql} set, with the values bound to its
     * parameters: text as sent, binary as {@code \x} hex, null as null) or the end of a round trip
     * (Sync: {@code sql} null).
     */
    public record Sent(long seq, long connection, String database, String user, String application, String sql,
            List<String> parameters) {

        public boolean isSync() {
            return sql == null;
        }
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Sent> sent = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    public PgWireTap(String targetHost, int targetPort) throws IOException {
        this(targetHost, targetPort, 0);
    }

    /** Listens on 127.0.0.1:{@code listenPort} (0: any free port) and relays to the target. */
    public PgWireTap(String targetHost, int targetPort, int listenPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort));
        Thread.ofPlatform().daemon().name("pg-wire-tap").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The sequence number the next record will get: a mark to take what was sent after it. */
    public long mark() {
        return sequence.get();
    }

    /** Everything recorded at or after {@code mark}, in the order it arrived. */
    public List<Sent> since(long mark) {
        synchronized (sent) {
            return sent.stream().filter(s -> s.seq() >= mark).toList();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                long id = connections.incrementAndGet();
                Thread.ofVirtual().name("pg-wire-tap-" + id).start(() -> relay(id, client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("pg-wire-tap: accept failed: " + e);
                }
            }
        }
    }

    private void relay(long id, Socket client) {
        try (client; Socket upstream = new Socket(targetHost, targetPort)) {
            track(client);
            track(upstream);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().name("pg-wire-tap-" + id + "-back").start(() -> copy(upstream, client));
            new ClientStream(id, new DataInputStream(new BufferedInputStream(client.getInputStream(), 65536)),
                    client.getOutputStream(), new BufferedOutputStream(upstream.getOutputStream(), 65536)).run();
            back.join();
        } catch (IOException e) {
            // the client or the server went away: nothing to record
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void track(Socket socket) {
        synchronized (open) {
            open.add(socket);
        }
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[65536];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // connection closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void record(long connection, String database, String user, String application, String sql,
            List<String> parameters) {
        synchronized (sent) {
            sent.add(new Sent(sequence.getAndIncrement(), connection, database, user, application, sql, parameters));
        }
    }

    /** Decodes and forwards what one client sends. */
    private final class ClientStream {
        private final long id;
        private final DataInputStream in;
        private final OutputStream toClient;
        private final BufferedOutputStream out;
        private final Map<String, String> statements = new HashMap<>();
        private final Map<String, Bound> portals = new HashMap<>();
        private String database = "";
        private String user = "";
        private String application = "";

        ClientStream(long id, DataInputStream in, OutputStream toClient, BufferedOutputStream out) {
            this.id = id;
            this.in = in;
            this.toClient = toClient;
            this.out = out;
        }

        void run() throws IOException {
            if (!startup()) {
                return;
            }
            while (true) {
                int type;
                try {
                    type = in.readUnsignedByte();
                } catch (EOFException e) {
                    return;
                }
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                if (body.length != length - 4) {
                    return;
                }
                out.write(type);
                writeInt(length);
                out.write(body);
                decode(type, body);
                if (in.available() == 0) {
                    out.flush(); // about to wait for the client: nothing may stay behind in the buffer
                }
                if (type == 'X') {
                    out.flush();
                    return;
                }
            }
        }

        /** The start-up packet (after any refused encryption requests); false if the client went away. */
        private boolean startup() throws IOException {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    return false;
                }
                byte[] body = in.readNBytes(length - 4);
                int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
                if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                    toClient.write('N');
                    toClient.flush();
                    continue;
                }
                writeInt(length);
                out.write(body);
                out.flush();
                if (code == CANCEL_REQUEST) {
                    return false;
                }
                Cursor c = new Cursor(body, 4);
                while (c.more()) {
                    String key = c.string();
                    if (key.isEmpty()) {
                        break;
                    }
                    String value = c.string();
                    switch (key) {
                        case "database" -> database = value;
                        case "user" -> user = value;
                        case "application_name" -> application = value;
                        default -> {
                        }
                    }
                }
                if (database.isEmpty()) {
                    database = user;
                }
                return true;
            }
        }

        private void decode(int type, byte[] body) {
            Cursor c = new Cursor(body, 0);
            switch (type) {
                case 'P' -> { // Parse: statement name, query text
                    String name = c.string();
                    statements.put(name, c.string());
                }
                case 'B' -> { // Bind: portal name, statement name, parameter formats and values
                    String portal = c.string();
                    String sql = statements.getOrDefault(c.string(), "?");
                    portals.put(portal, new Bound(sql, c.parameters()));
                }
                case 'E' -> {
                    Bound bound = portals.getOrDefault(c.string(), new Bound("?", List.of()));
                    record(id, database, user, application, bound.sql(), bound.parameters());
                }
                case 'Q' -> { // simple query: executed and synced at once
                    record(id, database, user, application, c.string(), List.of());
                    record(id, database, user, application, null, List.of());
                }
                case 'S' -> record(id, database, user, application, null, List.of());
                case 'C' -> { // Close a statement or a portal
                    int what = c.next();
                    String name = c.string();
                    (what == 'S' ? statements : portals).remove(name);
                }
                default -> {
                }
            }
        }

        private void writeInt(int v) throws IOException {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }
    }

    private record Bound(String sql, List<String> parameters) {
    }

    private static final class Cursor {
        private final byte[] bytes;
        private int at;

        Cursor(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        boolean more() {
            return at < bytes.length;
        }

        int next() {
            return bytes[at++] & 0xff;
        }

        int int16() {
            return (next() << 8) | next();
        }

        int int32() {
            return (next() << 24) | (next() << 16) | (next() << 8) | next();
        }

        /** The parameter part of a Bind message: format codes, then the values. */
        List<String> parameters() {
            int formats = int16();
            int[] format = new int[formats];
            for (int i = 0; i < formats; i++) {
                format[i] = int16();
            }
            int count = int16();
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = int32();
                if (length < 0) {
                    values.add(null);
                    continue;
                }
                boolean binary = formats == 1 ? format[0] == 1 : formats > i && format[i] == 1;
                if (binary) {
                    StringBuilder hex = new StringBuilder("\\x");
                    for (int j = 0; j < length; j++) {
                        hex.append(String.format("%02x", bytes[at + j]));
                    }
                    values.add(hex.toString());
                } else {
                    values.add(new String(bytes, at, length, StandardCharsets.UTF_8));
                }
                at += length;
            }
            return values;
        }

        String string() {
            int end = at;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            String s = new String(bytes, at, end - at, StandardCharsets.UTF_8);
            at = Math.min(bytes.length, end + 1);
            return s;
        }
    }
}
