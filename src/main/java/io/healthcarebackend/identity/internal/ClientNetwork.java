package io.healthcarebackend.identity.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a request comes from, coarsely: the network (IPv4 /16, IPv6 /48 — a provider's block, not
 * a host, so a phone moving between cells stays on one) and the device (browser family and
 * operating system from the user agent, not its version, so an update is not a new device).
 * Two different networks count as distant; there is no geolocation database here.
 */
final class ClientNetwork {

    private ClientNetwork() {
    }

    static String of(String ip) {
        if (ip == null || ip.isBlank() || !looksLikeAddress(ip)) {
            return null;
        }
        try {
            byte[] address = InetAddress.getByName(ip.strip()).getAddress();
            int keep = address.length == 4 ? 2 : 6;
            StringBuilder network = new StringBuilder(address.length == 4 ? "v4:" : "v6:");
            for (int i = 0; i < keep; i++) {
                network.append(address[i] & 0xff).append('.');
            }
            return network.toString();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Only literal addresses: never resolve a name. */
    private static boolean looksLikeAddress(String ip) {
        return ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }

    static String device(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown device";
        }
        String ua = userAgent.toLowerCase(Locale.ROOT);
        return browser(ua) + " on " + system(ua);
    }

    private static String browser(String ua) {
        if (ua.contains("edg/")) {
            return "Edge";
        }
        if (ua.contains("firefox/")) {
            return "Firefox";
        }
        if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) {
            return "Chrome";
        }
        if (ua.contains("safari/")) {
            return "Safari";
        }
        int slash = ua.indexOf('/');
        String product = slash > 0 ? ua.substring(0, slash) : ua;
        return product.length() > 40 ? product.substring(0, 40) : product;
    }

    private static String system(String ua) {
        if (ua.contains("android")) {
            return "Android";
        }
        if (ua.contains("iphone") || ua.contains("ipad") || ua.contains("ios")) {
            return "iOS";
        }
        if (ua.contains("windows")) {
            return "Windows";
        }
        if (ua.contains("mac os") || ua.contains("macintosh")) {
            return "macOS";
        }
        if (ua.contains("linux")) {
            return "Linux";
        }
        return "unknown system";
    }
}
