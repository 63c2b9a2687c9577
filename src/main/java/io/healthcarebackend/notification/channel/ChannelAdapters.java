package io.healthcarebackend.notification.channel;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The adapters the operator set up, one per channel at most. */
@Component
public class ChannelAdapters {

    private static final Logger log = LoggerFactory.getLogger(ChannelAdapters.class);

    private final Map<Channel, ChannelAdapter> configured = new EnumMap<>(Channel.class);

    /**
     * Spring passes every adapter bean; a test may pass its own. Adapters that are not configured are
     * left out; two configured adapters for one channel are a configuration error.
     */
    public ChannelAdapters(List<ChannelAdapter> adapters) {
        for (ChannelAdapter adapter : adapters) {
            if (adapter.configured() && configured.putIfAbsent(adapter.channel(), adapter) != null) {
                throw new IllegalStateException("more than one configured adapter for channel " + adapter.channel());
            }
        }
        Set<Channel> off = EnumSet.allOf(Channel.class);
        off.removeAll(configured.keySet());
        log.info("Notification channels on: {}; off: {}", configured.keySet(), off);
    }

    /** The configured adapter of a channel, empty when the operator set none up. */
    public Optional<ChannelAdapter> configured(Channel channel) {
        return Optional.ofNullable(configured.get(channel));
    }
}
