package org.medhub.platform.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose forwarded headers are believed ({@code medhub.trusted-proxies}): IP
 * addresses and CIDR ranges, IPv4 or IPv6. Unlike Tomcat's default {@code internal-proxies}, which
 * trusts every private and loopback address, nothing is trusted unless listed.
 */
final class TrustedProxies {

    static final String SETTING = "medhub.trusted-proxies";
    /** Literal addresses only: a host name here would mean a DNS lookup per request, and DNS can lie. */
    private static final Pattern LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            int mask = rest == 0 ? 0 : (0xFF << (8 - rest)) & 0xFF;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** @throws IllegalStateException naming the setting and the entry that is not an address or range */
    static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            int slash = entry.indexOf('/');
            byte[] network = address(slash < 0 ? entry : entry.substring(0, slash));
            if (network == null) {
                throw new IllegalStateException(SETTING + ": '" + raw + "' is not an IP address or CIDR range");
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalStateException(SETTING + ": '" + raw + "' has a bad prefix length");
                }
            }
            ranges.add(new Range(network, prefix));
        }
        return new TrustedProxies(ranges);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (an IP literal, as the servlet container reports the peer) is a trusted proxy. */
    boolean trusts(String address) {
        byte[] bytes = address(address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    /** The address's bytes, or null when it is not an IP literal (an IPv4-mapped IPv6 address counts as IPv4). */
    static byte[] address(String text) {
        if (text == null) {
            return null;
        }
        String literal = text.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone > 0) {
            literal = literal.substring(0, zone);
        }
        if (!LITERAL.matcher(literal).matches()) {
            return null;
        }
        if (literal.indexOf(':') < 0) {
            return ipv4(literal);
        }
        try {
            // Contains a colon: the JDK parses it as an IPv6 literal and never asks DNS.
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }
}
