package io.healthcarebackend.notification.channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A loopback SMTP server that answers with chosen replies, for the failures a real test server
 * (GreenMail accepts everything) does not produce: a 4xx or 5xx to a command, a server that never
 * greets. Replies are keyed by command verb ({@code RCPT}, {@code DATA-END} for the end of the
 * message, {@code GREETING}); unlisted commands succeed.
 */
final class ScriptedSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Map<String, String> replies = new HashMap<>();

    ScriptedSmtpServer() throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    ScriptedSmtpServer reply(String verb, String reply) {
        replies.put(verb, reply);
        return this;
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> converse(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client;
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8));
                Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
            String greeting = replies.getOrDefault("GREETING", "220 scripted ESMTP");
            if (greeting.equals("SILENT")) {
                in.readLine(); // the client waits for a greeting that never comes
                return;
            }
            send(out, greeting);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> send(out, "250 scripted");
                    case "DATA" -> {
                        send(out, replies.getOrDefault("DATA", "354 go ahead"));
                        while (!".".equals(line = in.readLine()) && line != null) {
                            // the message is discarded
                        }
                        send(out, replies.getOrDefault("DATA-END", "250 queued"));
                    }
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, replies.getOrDefault(verb, "250 ok"));
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(Writer out, String reply) throws IOException {
        out.write(reply + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
