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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A Lua script from {@code src/main/resources/ratelimit}, run by its SHA-1 and loaded when Redis lacks it. */
final class LuaScript {

    private static final byte[] SLIDING = {'s'};
    private static final byte[] FIXED = {'f'};

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

    /**
     * Runs the windows script ({@code windows.lua}) on the given keys, one per rule (sliding or fixed
     * windows only), all or nothing; its answer per rule is {allowed, remaining, retry-after ms, reset ms}.
     */
    List<Decision> run(RedisCommands<byte[], byte[]> redis, List<Rule> rules, List<byte[]> keys, long cost) {
        byte[][] keyArgs = keys.toArray(byte[][]::new);
        byte[][] args = new byte[1 + 3 * rules.size()][];
        args[0] = ascii(cost);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            args[1 + 3 * i] = rule.algorithm() == Algorithm.SLIDING_WINDOW ? SLIDING : FIXED;
            args[2 + 3 * i] = ascii(rule.limit());
            args[3 + 3 * i] = ascii(rule.windowMillis());
        }
        List<Long> answer;
        try {
            answer = redis.evalsha(sha, ScriptOutputType.MULTI, keyArgs, args);
        } catch (RedisNoScriptException e) {
            answer = redis.eval(source, ScriptOutputType.MULTI, keyArgs, args);
        }
        List<Decision> decisions = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            int at = 4 * i;
            decisions.add(new Decision(answer.get(at) == 1, rules.get(i).limit(), answer.get(at + 1),
                    answer.get(at + 3), answer.get(at + 2)));
        }
        return decisions;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
