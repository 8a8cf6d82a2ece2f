package io.rookery.sentinel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an instance lives: the hostname as given, the address it resolved to, and the port.
 * Without {@code resolve-hostnames} only IP literals are accepted, as Redis Sentinel does; with it a
 * name is looked up (and, when {@code acceptUnresolved}, kept even if the lookup fails for now, to be
 * retried on reconnection).
 */
record InstanceAddress(String hostname, String ip, int port) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    static InstanceAddress of(String hostname, int port, boolean resolveHostnames, boolean acceptUnresolved)
            throws InstanceRejected {
        if (port < 0 || port > 65535) {
            throw new InstanceRejected("Invalid port number.");
        }
        String ip = resolve(hostname, resolveHostnames);
        if (ip == null) {
            if (resolveHostnames && acceptUnresolved) {
                ip = "";
            } else {
                throw new InstanceRejected("Can't resolve instance hostname.");
            }
        }
        return new InstanceAddress(hostname, ip, port);
    }

    /** The IP {@code host} stands for, or null; names are looked up only when {@code resolveHostnames}. */
    static String resolve(String host, boolean resolveHostnames) {
        boolean literal = IPV4.matcher(host).matches() || host.indexOf(':') >= 0;
        if (!literal && !resolveHostnames) {
            return null;
        }
        try {
            return literal ? host.toLowerCase(Locale.ROOT) : InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Same IP (ignoring case) and port. */
    boolean sameAs(InstanceAddress o) {
        return port == o.port && ip.equalsIgnoreCase(o.ip);
    }

    /** Same port, and the same IP or, for names that could not be resolved, the same hostname. */
    boolean sameAsByAddressOrName(InstanceAddress o) {
        return port == o.port && (ip.equals(o.ip) || hostname.equalsIgnoreCase(o.hostname));
    }

    /** Whether {@code host} (a name or an IP, as a replica reports its primary) resolves to this IP. */
    boolean isHost(String host, boolean resolveHostnames) {
        if (host == null) {
            return false;
        }
        String other = resolve(host, resolveHostnames);
        return other != null && other.equalsIgnoreCase(ip);
    }

    /** The address others are told: the hostname with {@code announce-hostnames}, else the IP. */
    String announced(boolean announceHostnames) {
        return announceHostnames ? hostname : ip;
    }

    /** "host:port", IPv6 addresses bracketed; also the name of a replica instance. */
    String announcedWithPort(boolean announceHostnames) {
        String a = announced(announceHostnames);
        return a.indexOf(':') >= 0 ? "[" + a + "]:" + port : a + ":" + port;
    }
}
