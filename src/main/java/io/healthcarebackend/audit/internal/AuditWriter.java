package io.healthcarebackend.audit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for events that must be durable on their own: every caller waiting at the same
 * moment shares one transaction and one WAL flush, so auditing each PHI read costs a queue hand-off
 * rather than a commit per request. Stops after the web server, draining what is queued.
 */
@Component
class AuditWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 1_000;

    private record Pending(List<StoredEvent> events, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(50_000);
    private final AuditRows rows;
    private final TransactionTemplate transactions;
    private volatile Thread thread;
    private volatile boolean running;

    AuditWriter(AuditRows rows, PlatformTransactionManager transactions) {
        this.rows = rows;
        this.transactions = new TransactionTemplate(transactions);
    }

    CompletableFuture<Void> submit(List<StoredEvent> events) {
        Pending pending = new Pending(events, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            pending.done().completeExceptionally(new IllegalStateException("audit writer not accepting events"));
        }
        return pending.done();
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.events().size();
                Pending next;
                while (size < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                    size += next.events().size();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            Map<UUID, List<StoredEvent>> byClinic = new LinkedHashMap<>();
            for (Pending p : batch) {
                for (StoredEvent e : p.events()) {
                    byClinic.computeIfAbsent(e.clinicId(), k -> new ArrayList<>()).add(e);
                }
            }
            transactions.executeWithoutResult(status -> byClinic.forEach((clinic, events) -> {
                rows.actAsClinic(clinic);
                rows.insert(events);
            }));
            batch.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
            log.error("audit events could not be stored ({} waiting requests fail)", batch.size(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("audit-writer").daemon(true).start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops at a high phase) has finished its requests. */
    @Override
    public int getPhase() {
        return 0;
    }
}
