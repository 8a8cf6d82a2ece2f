package io.rookery.node.acl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Redis's ACL log: the recent refusals (a command, key or channel the user may not use, a failed
 * AUTH), newest first, at most {@code acllog-max-len} entries. A refusal like one of the ten newest
 * entries (same reason, context, object and user, within 60 seconds) bumps that entry's count and
 * moves it to the front instead of adding one, as addACLLogEntry does.
 */
public final class AclLog {
    /** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
    private static final long GROUPING_MILLIS = 60_000;

    public enum Reason {
        COMMAND("command"), KEY("key"), AUTH("auth"), CHANNEL("channel");

        public final String text;

        Reason(String text) {
            this.text = text;
        }
    }

    public enum Context {
        TOPLEVEL("toplevel"), LUA("lua"), MULTI("multi");

        public final String text;

        Context(String text) {
            this.text = text;
        }
    }

    /** One entry, as ACL LOG shows it. */
    public static final class Entry {
        public long count = 1;
        public final Reason reason;
        public final Context context;
        public final String object;
        public final String username;
        public long createdMillis;
        public String clientInfo;

        Entry(Reason reason, Context context, String object, String username, long now, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMillis = now;
            this.clientInfo = clientInfo;
        }

        boolean sameAs(Entry o) {
            return reason == o.reason && context == o.context && Math.abs(createdMillis - o.createdMillis) <= GROUPING_MILLIS
                    && object.equals(o.object) && username.equals(o.username);
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();
    private final LongSupplier maxLength;

    /** @param maxLength the live {@code acllog-max-len} */
    public AclLog(LongSupplier maxLength) {
        this.maxLength = maxLength;
    }

    public void add(Reason reason, Context context, String object, String username, String clientInfo) {
        Entry e = new Entry(reason, context, object, username, System.currentTimeMillis(), clientInfo);
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < 10; scanned++) {
            Entry current = it.next();
            if (current.sameAs(e)) {
                it.remove();
                current.count++;
                current.createdMillis = e.createdMillis;
                current.clientInfo = clientInfo;
                entries.addFirst(current);
                return;
            }
        }
        entries.addFirst(e);
        while (entries.size() > maxLength.getAsLong()) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }
}
