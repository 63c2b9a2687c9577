package io.healthcarebackend.notification.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Twilio-shaped SMS provider that honours {@code I-Twilio-Idempotency-Token} as Twilio does: a
 * request repeating a key is answered with the message already created under it, and delivers
 * nothing more. It records every request and every message it delivered, and takes a little time
 * per message so that a batch lasts long enough to be interrupted.
 */
final class IdempotentSmsProvider implements AutoCloseable {

    record Message(String key, String sid, String to, String body) {
    }

    final Map<String, Message> delivered = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger repeats = new AtomicInteger();
    private final HttpServer server;
    private final long delayMillis;

    IdempotentSmsProvider(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/2010-04-01/Accounts/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String key = exchange.getRequestHeaders().getFirst("I-Twilio-Idempotency-Token");
        sleep();
        Message message;
        synchronized (delivered) {
            message = delivered.get(key);
            if (message == null) {
                message = new Message(key, "SM" + java.util.UUID.randomUUID().toString().replace("-", ""),
                        form.get("To"), form.get("Body"));
                delivered.put(key, message);
            } else {
                repeats.incrementAndGet();
            }
        }
        byte[] body = ("{\"sid\":\"" + message.sid() + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(201, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void sleep() {
        try {
            Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
