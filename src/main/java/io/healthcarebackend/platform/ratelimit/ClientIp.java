package io.healthcarebackend.platform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The client's address as this service should believe it. {@code X-Forwarded-For} is anyone's to
 * write, so it is read only when the direct peer is one of the configured trusted proxies
 * ({@code TRUSTED_PROXIES}, CIDR list), and then from the right: each hop appended by a trusted
 * proxy is taken, up to the first address that is not a trusted proxy — that is the client. Entries
 * further left were written by the client and are ignored. The one place that answers "who is
 * calling"; rate limits use it, and audit and sessions can.
 */
@Component
public class ClientIp {

    private static final String ATTRIBUTE = ClientIp.class.getName();

    private final List<Cidr> trusted;

    ClientIp(@Value("${app.http.trusted-proxies:}") List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse)
                .toList();
    }

    /** The resolved client address of the request, in canonical form (e.g. {@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}). */
    public String of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String known) {
            return known;
        }
        String resolved = resolve(request.getRemoteAddr(), Collections.list(request.getHeaders("X-Forwarded-For")));
        request.setAttribute(ATTRIBUTE, resolved);
        return resolved;
    }

    String resolve(String peer, List<String> forwardedHeaders) {
        InetAddress current = parse(peer);
        if (current == null) {
            return peer;
        }
        if (!isTrusted(current) || forwardedHeaders.isEmpty()) {
            return current.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        forwardedHeaders.forEach(h -> hops.addAll(Arrays.asList(h.split(","))));
        for (int i = hops.size() - 1; i >= 0 && isTrusted(current); i--) {
            InetAddress hop = parse(hops.get(i));
            if (hop == null) {
                // Garbage from the hop before a trusted proxy: nothing further left can be believed.
                break;
            }
            current = hop;
        }
        return current.getHostAddress();
    }

    /**
     * The key a per-address limit counts on: the address itself for IPv4, its /64 network for IPv6
     * (one subscriber gets a whole /64, so single IPv6 addresses would be free to rotate).
     */
    static String rateKey(String address) {
        InetAddress parsed = parse(address);
        if (parsed instanceof Inet6Address) {
            byte[] bytes = parsed.getAddress();
            Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                return address;
            }
        }
        return parsed == null ? address : parsed.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address literal (never a host name: no DNS), with IPv6 brackets and an IPv4 port tolerated. */
    static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.strip();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            value = end < 0 ? value : value.substring(1, end);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.contains(".")) {
            value = value.substring(0, value.indexOf(':'));
        }
        try {
            return InetAddress.ofLiteral(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A network in CIDR notation, or a single address. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", 2);
            InetAddress address = ClientIp.parse(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: '" + text + "' is not an address or CIDR");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("TRUSTED_PROXIES: '" + text + "' has an invalid prefix length");
            }
            return new Cidr(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
