package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.TypeContext;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c): numeric or ALPHA order of a list, set or sorted set, by the
 * elements or by external keys (BY pattern, "->field" for hash fields, "nosort"), with LIMIT, GET
 * patterns ("#" is the element) and STORE into a list.
 */
final class SortCommand extends CommandGroup {

    private final TypeContext types;

    SortCommand(CommandBasics basics, TypeContext types) {
        super(basics);
        this.types = types;
    }

    void register(CommandRegistry r) {
        r.register("sort", (c, a) -> sort(c, a, false))
                .register("sort_ro", (c, a) -> sort(c, a, true));
    }

    private static final class Item {
        final byte[] element;
        double score;
        byte[] by;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** BY and GET read keys no key spec names: the user must be able to read every key (Redis's sortCommandGeneric). */
    private boolean fullKeyAccess(Client c, byte[][] a) {
        return dispatcher.acl().unrestrictedRead(c.user, dispatcher.registry().table().lookup(a[0]), a);
    }

    private void sort(Client c, byte[][] a, boolean readOnly) {
        boolean desc = false;
        boolean alpha = false;
        long offset = 0;
        long count = -1;
        byte[] by = null;
        boolean dontSort = false;
        byte[] store = null;
        List<byte[]> gets = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            int left = a.length - i - 1;
            if (Args.is(a[i], "ASC")) {
                desc = false;
            } else if (Args.is(a[i], "DESC")) {
                desc = true;
            } else if (Args.is(a[i], "ALPHA")) {
                alpha = true;
            } else if (Args.is(a[i], "LIMIT") && left >= 2) {
                offset = Args.integer(a[i + 1]);
                count = Args.integer(a[i + 2]);
                i += 2;
            } else if (Args.is(a[i], "STORE") && left >= 1 && !readOnly) {
                store = a[++i];
            } else if (Args.is(a[i], "BY") && left >= 1) {
                by = a[++i];
                if (indexOf(by, (byte) '*') < 0) {
                    dontSort = true;
                } else if (!fullKeyAccess(c, a)) {
                    throw new CommandError("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (Args.is(a[i], "GET") && left >= 1) {
                if (!fullKeyAccess(c, a)) {
                    throw new CommandError("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                gets.add(a[++i]);
            } else {
                throw Errors.syntax();
            }
        }
        Database db = db(c);
        Object v = store == null ? db.get(a[1]) : db.getForWrite(a[1]);
        List<byte[]> elements = new ArrayList<>();
        if (v instanceof ListValue l) {
            elements.addAll(Arrays.asList(l.toArray()));
        } else if (v instanceof SetValue s) {
            elements.addAll(s.members());
        } else if (v instanceof ZSetValue z) {
            z.forEach(e -> elements.add(e.member()));
            if (dontSort && !desc) {
                // keep the sorted set's own order
            } else if (dontSort) {
                Collections.reverse(elements);
            }
        } else if (v != null) {
            throw Errors.wrongType();
        }
        // A set sorted "BY nosort" would come out in hash order; Redis sorts it alphabetically for determinism
        // when storing and inside scripts.
        if (dontSort && v instanceof SetValue && (store != null || c.scriptClient)) {
            dontSort = false;
            alpha = true;
            by = null;
        }
        List<Item> items = new ArrayList<>(elements.size());
        for (byte[] e : elements) {
            items.add(new Item(e));
        }
        if (!dontSort) {
            for (Item it : items) {
                byte[] key = by == null ? it.element : lookup(db, by, it.element);
                if (alpha) {
                    it.by = key;
                } else {
                    if (key == null) {
                        it.score = 0;
                    } else {
                        Double d = DoubleFormat.parse(key);
                        if (d == null) {
                            throw new CommandError("ERR One or more scores can't be converted into double");
                        }
                        it.score = d;
                    }
                }
            }
            final boolean isAlpha = alpha;
            final boolean byPattern = by != null;
            java.util.Comparator<Item> cmp = (x, y) -> {
                int r;
                if (!isAlpha) {
                    r = Double.compare(x.score, y.score);
                    if (x.score == y.score) {
                        r = Arrays.compareUnsigned(x.element, y.element);
                    }
                } else if (byPattern) {
                    if (x.by == null || y.by == null) {
                        r = x.by == y.by ? 0 : (x.by == null ? -1 : 1);
                    } else {
                        r = Arrays.compareUnsigned(x.by, y.by);
                    }
                } else {
                    r = Arrays.compareUnsigned(x.element, y.element);
                }
                return r;
            };
            items.sort(desc ? cmp.reversed() : cmp);
        }
        int start = (int) Math.max(0, Math.min(offset, items.size()));
        int end = count < 0 ? items.size() : (int) Math.min(items.size(), start + count);
        if (offset < 0) {
            start = 0;
        }
        List<Item> window = items.subList(start, Math.max(start, end));
        List<byte[]> out = new ArrayList<>();
        for (Item it : window) {
            if (gets.isEmpty()) {
                out.add(it.element);
            } else {
                for (byte[] g : gets) {
                    out.add(g.length == 1 && g[0] == '#' ? it.element : lookup(db, g, it.element));
                }
            }
        }
        if (store != null) {
            boolean existed = db.delete(store);
            if (!out.isEmpty()) {
                ListValue l = new ListValue(types);
                for (byte[] e : out) {
                    l.pushTail(e == null ? new byte[0] : e);
                }
                db.add(store, l);
                notify(c, io.rookery.node.config.KeyspaceEventFlags.LIST, "sortstore", store);
                dirty(out.size());
            } else if (existed) {
                notify(c, io.rookery.node.config.KeyspaceEventFlags.GENERIC, "del", store);
                dirty(1);
            }
            c.reply().integer(out.size());
            return;
        }
        RespWriter r = c.reply();
        r.array(out.size());
        out.forEach(r::bulk);
    }

    /** The value a BY/GET pattern names for {@code element}: a string key, or a hash field after "->". */
    private static byte[] lookup(Database db, byte[] pattern, byte[] element) {
        int star = indexOf(pattern, (byte) '*');
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        if (arrow >= 0 && arrow + 2 == pattern.length) {
            arrow = -1; // "->" with no field after it is part of the key name, as in Redis
        }
        int keyEnd = arrow < 0 ? pattern.length : arrow;
        byte[] key = new byte[keyEnd - 1 + element.length];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Object v = db.get(key);
        if (arrow < 0) {
            return v instanceof byte[] b ? b : null;
        }
        byte[] field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
        return v instanceof HashValue h ? h.get(field) : null;
    }

    private static int indexOf(byte[] s, byte b) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
