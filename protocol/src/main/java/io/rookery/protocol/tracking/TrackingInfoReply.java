package io.rookery.protocol.tracking;

import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKINGINFO's reply, as redis-server 7.0 writes it: a map of three entries, {@code flags} (a
 * set), {@code redirect} (an integer) and {@code prefixes} (an array); under RESP2 a flat array.
 */
public final class TrackingInfoReply {
    private TrackingInfoReply() {
    }

    /**
     * Flags, in this order: on or off, bcast, optin with caching-yes after it when CLIENT CACHING YES
     * was given, optout with caching-no likewise, noloop, broken_redirect. The redirect is -1 while
     * tracking is off; the prefixes come in byte order.
     */
    public static void write(TrackingSettings t, RespWriter w) {
        List<String> flags = new ArrayList<>();
        flags.add(t.enabled ? "on" : "off");
        if (t.bcast) {
            flags.add("bcast");
        }
        if (t.optin) {
            flags.add("optin");
            if (t.caching) {
                flags.add("caching-yes");
            }
        }
        if (t.optout) {
            flags.add("optout");
            if (t.caching) {
                flags.add("caching-no");
            }
        }
        if (t.noloop) {
            flags.add("noloop");
        }
        if (t.brokenRedirect) {
            flags.add("broken_redirect");
        }
        w.map(3);
        w.bulk("flags");
        w.set(flags.size());
        for (String f : flags) {
            w.bulk(f);
        }
        w.bulk("redirect");
        w.integer(t.reportedRedirect());
        w.bulk("prefixes");
        w.array(t.prefixes.size());
        for (byte[] p : t.prefixes) {
            w.bulk(p);
        }
    }
}
