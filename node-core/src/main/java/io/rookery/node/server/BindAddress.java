package io.rookery.node.server;

import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the {@code bind} directive as Redis 7.0's {@code listenToPort} reads it, for the RESP
 * listener and the cluster bus alike: "*" is every IPv4 address, "::*" every IPv6 one, an address
 * with a ':' is IPv6, and a leading "-" makes the address optional. A failure to bind is skipped
 * (the node starts without that listener) when the address is optional and not available on this
 * machine (EADDRNOTAVAIL), or, optional or not, when the machine lacks the address family (no IPv6:
 * EAFNOSUPPORT and its kin); any other failure (a port in use, an unknown host) stops the start.
 *
 * @param text the entry as configured, e.g. {@code -::*}
 * @param optional whether it started with "-"
 * @param address the entry without the "-", as Redis names it in its log lines
 */
public record BindAddress(String text, boolean optional, String address) {
    /** The strerror texts (and the JDK's own wordings) of the errors Redis skips for any address. */
    private static final List<String> FAMILY_UNSUPPORTED = List.of("address family not supported",
            "protocol family not supported", "protocol family unavailable", "protocol not supported",
            "socket type not supported", "protocol not available");
    /** EADDRNOTAVAIL's strerror text. */
    private static final String NOT_AVAILABLE = "cannot assign requested address";

    public static BindAddress parse(String entry) {
        boolean optional = entry.startsWith("-");
        return new BindAddress(entry, optional, optional ? entry.substring(1) : entry);
    }

    public static List<BindAddress> parseAll(List<String> entries) {
        return entries.stream().map(BindAddress::parse).toList();
    }

    /** Redis's test: an address with a ':' is bound as IPv6 (only the IPv6 socket, not dual-stack). */
    public boolean ipv6() {
        return address.indexOf(':') >= 0;
    }

    /** Where to listen at {@code port}; an unresolvable host gives an unresolved address (its bind fails). */
    public InetSocketAddress socketAddress(int port) {
        return switch (address) {
            case "*" -> new InetSocketAddress("0.0.0.0", port);
            case "::*" -> new InetSocketAddress("::", port);
            default -> new InetSocketAddress(address, port);
        };
    }

    /** Whether a node starts without this listener after {@code failure} to bind it, as Redis does. */
    public boolean skippable(Throwable failure) {
        if (familyUnsupported(failure)) {
            return true;
        }
        return optional && matches(failure, NOT_AVAILABLE);
    }

    private static boolean familyUnsupported(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedAddressTypeException) {
                return true;
            }
        }
        return FAMILY_UNSUPPORTED.stream().anyMatch(text -> matches(failure, text));
    }

    private static boolean matches(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** Why a bind failed, for the log line (an unresolvable host has no message of its own). */
    public static String reason(Throwable failure) {
        if (failure instanceof UnresolvedAddressException) {
            return "Name or service not known";
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }

    /** Redis's warning for a listener that could not be created. */
    public String failureText(int port, Throwable failure) {
        return "Could not create server TCP listening socket " + address + ":" + port + ": " + reason(failure);
    }
}
