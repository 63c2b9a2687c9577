package io.healthcarebackend.platform.ratelimit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script from {@code src/main/resources/ratelimit}, run by its SHA-1 and loaded when Redis lacks it. */
final class LuaScript {

    private final byte[] source;
    private final String sha;

    private LuaScript(byte[] source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/ratelimit/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing script ratelimit/" + name);
            }
            return new LuaScript(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script on one key; its answer is {allowed, remaining, retry-after ms, reset ms}. */
    Decision run(RedisCommands<byte[], byte[]> redis, byte[] key, long limit, long windowMillis, long cost) {
        byte[][] keys = {key};
        byte[][] args = {ascii(limit), ascii(windowMillis), ascii(cost)};
        List<Long> answer;
        try {
            answer = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            answer = redis.eval(source, ScriptOutputType.MULTI, keys, args);
        }
        return new Decision(answer.get(0) == 1, limit, answer.get(1), answer.get(3), answer.get(2));
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
