package io.healthcarebackend.notification.stream;

import io.healthcarebackend.platform.ClinicId;
import io.healthcarebackend.platform.stream.RedisSubscription;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The clinics' event logs in Redis, shared by all instances.
 *
 * <ul>
 * <li>Each clinic has a capped stream {@code <prefix>events:clinic:<id>}: at most about
 * {@code retention} entries ({@code XADD MAXLEN ~}) of the last {@code retentionTime}
 * ({@code XTRIM MINID}); an entry's id is the SSE event id. An emptied stream stays (it still
 * knows its head, which resuming needs) until the clinic has been quiet for
 * {@link StreamSettings#QUIET_CLINIC_EXPIRY}.</li>
 * <li>Appending is one Lua script: XADD, then PUBLISH of the entry on the one channel
 * {@code <prefix>events:appointments}. Atomic, so every entry is both in the log and on the
 * channel, in the same order.</li>
 * <li>Each instance holds one subscription to the channel ({@link RedisSubscription}: one
 * dedicated connection) and hands what it hears to its hub. Messages published while that
 * connection was down are lost to it, so whenever the subscription is (re)established every open
 * stream here is ended: its client reconnects with {@code Last-Event-ID} and gets what it missed
 * from the log.</li>
 * <li>Resuming is one Lua script that reads, atomically, the clinic's head, whether anything
 * was trimmed (Redis 7's {@code entries-added} against {@code length}) and the entries after the
 * client's id.</li>
 * </ul>
 *
 * What goes through Redis is the {@link StaffEvent} JSON only: ids and times, no patient.
 */
final class RedisClinicEvents implements ClinicEvents {

    private static final Logger log = LoggerFactory.getLogger(RedisClinicEvents.class);

    /**
     * KEYS[1] the clinic's stream; ARGV maxlen, expiry ms, channel, clinic, type, json, retention ms.
     * Entries past the retention time go (exactly: few at a time) by the new entry's own clock.
     */
    private static final RedisScript<String> APPEND = RedisScript.of("""
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 't', ARGV[5], 'e', ARGV[6])
            local oldest = tonumber(string.match(id, '^(%d+)-')) - tonumber(ARGV[7])
            if oldest > 0 then redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', oldest)) end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. id .. ' ' .. ARGV[5] .. ' ' .. ARGV[6])
            return id""", String.class);

    /**
     * KEYS[1] the clinic's stream; ARGV[1] the last id the client saw ('' for a new stream),
     * ARGV[2] how many entries to read at most. Answers {'ok'|'reset', head, id, type, json, …}.
     * Nothing after the client's id is lost when that id is still in the log (trimming removes the
     * oldest entries first), or is the head, or is 0-0 (a clinic without events when the client
     * connected) and nothing was ever trimmed ({@code entries-added} equals {@code length}).
     * Otherwise the client gets a reset: its id was trimmed (maybe together with later ones — a
     * log does not tell which), or never was in this log.
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RESUME = RedisScript.of("""
            local last = ARGV[1]
            if redis.call('EXISTS', KEYS[1]) == 0 then
              if last == '' or last == '0-0' then return {'ok', '0-0'} end
              return {'reset', '0-0'}
            end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local f = {}
            for i = 1, #info, 2 do f[info[i]] = info[i + 1] end
            local head = f['last-generated-id']
            if last == '' or last == head then return {'ok', head} end
            local hm, hs = string.match(head, '^(%d+)-(%d+)$')
            local lm, ls = string.match(last, '^(%d+)-(%d+)$')
            hm, hs, lm, ls = tonumber(hm), tonumber(hs), tonumber(lm), tonumber(ls)
            if hm < lm or (hm == lm and hs < ls) then return {'reset', head} end
            local trimmed = tonumber(f['entries-added']) > tonumber(f['length'])
            local known = last == '0-0' and not trimmed
            local out = {'ok', head}
            for _, e in ipairs(redis.call('XRANGE', KEYS[1], last, '+', 'COUNT', ARGV[2])) do
              if e[1] == last then
                known = true
              else
                local t, j = '', ''
                for k = 1, #e[2], 2 do
                  if e[2][k] == 't' then t = e[2][k + 1] elseif e[2][k] == 'e' then j = e[2][k + 1] end
                end
                table.insert(out, e[1])
                table.insert(out, t)
                table.insert(out, j)
              end
            end
            if not known then return {'reset', head} end
            return out""", List.class);

    private final StringRedisTemplate redis;
    private final RedisSubscription subscription;
    private final StreamHub hub;
    private final String keyPrefix;
    private final String channel;
    private final String retention;
    private final String readLimit;
    private final String expiryMillis;
    private final String retentionMillis;
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();

    /**
     * @param clientName the name the subscription connection shows in {@code CLIENT LIST}, so an
     *                   operator (or a test) can tell it apart
     */
    RedisClinicEvents(StringRedisTemplate redis, RedisClient client, RedisURI uri, String clientName, StreamHub hub,
            String keyPrefix, StreamSettings settings) {
        this.redis = redis;
        this.hub = hub;
        this.keyPrefix = keyPrefix + "events:clinic:";
        this.channel = keyPrefix + "events:appointments";
        uri.setClientName(clientName);
        this.subscription = new RedisSubscription(client, uri, channel, "event-stream");
        this.retention = Integer.toString(settings.retention());
        // Approximate trimming keeps up to one macro node (100 entries) beyond the cap.
        this.readLimit = Integer.toString(settings.retention() * 2 + 200);
        this.expiryMillis = Long.toString(StreamSettings.QUIET_CLINIC_EXPIRY.toMillis());
        this.retentionMillis = Long.toString(settings.retentionTime().toMillis());
    }

    @Override
    public EventId append(ClinicId clinic, StaffEvent.Type type, String json) {
        String id = redis.execute(APPEND, List.of(keyPrefix + clinic), retention, expiryMillis, channel,
                clinic.toString(), type.name(), json, retentionMillis);
        return EventId.parse(id).orElseThrow(() -> new IllegalStateException("unexpected stream entry id"));
    }

    @Override
    public Resume resume(ClinicId clinic, EventId after) {
        List<?> answer = redis.execute(RESUME, List.of(keyPrefix + clinic), after == null ? "" : after.toString(),
                readLimit);
        if (answer == null || answer.size() < 2) {
            throw new IllegalStateException("unexpected answer to the resume script");
        }
        EventId head = id(answer.get(1));
        if ("reset".equals(answer.get(0))) {
            return Resume.reset(head);
        }
        List<Entry> missed = new ArrayList<>((answer.size() - 2) / 3);
        for (int i = 2; i + 2 < answer.size(); i += 3) {
            missed.add(new Entry(id(answer.get(i)), answer.get(i + 1).toString(), answer.get(i + 2).toString()));
        }
        return new Resume(head, false, missed);
    }

    @Override
    public String transport() {
        return "redis";
    }

    /** Subscribes in the background ({@link RedisSubscription}), retrying while Redis is unreachable. */
    void start() {
        subscription.start(new Listener());
    }

    @Override
    public void close() {
        subscription.close();
    }

    private static EventId id(Object text) {
        return EventId.parse(String.valueOf(text))
                .orElseThrow(() -> new IllegalStateException("unexpected stream entry id"));
    }

    /** Parses and hands over, never blocks. */
    private final class Listener implements RedisSubscription.Listener {

        @Override
        public void message(String message) {
            String[] parts = message.split(" ", 4);
            if (parts.length != 4) {
                return;
            }
            try {
                ClinicId clinic = ClinicId.of(parts[0]);
                EventId.parse(parts[1]).ifPresent(id -> hub.dispatch(clinic, new Entry(id, parts[2], parts[3])));
            } catch (IllegalArgumentException e) {
                // Not a message of this version: ignore it.
            }
        }

        /**
         * Called for the first subscription and again after every reconnection: whatever was
         * published in between never reached this instance, so its streams resume from the log.
         */
        @Override
        public void subscribed() {
            int open = hub.openStreams();
            hub.endAll(EndReason.RESUBSCRIBED);
            if (subscribedBefore.getAndSet(true)) {
                log.info("Real-time event subscription re-established; {} open streams told to resume", open);
            }
        }
    }
}
