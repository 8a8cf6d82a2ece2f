package io.rookery.node.command;

import io.rookery.node.client.Client;
import io.rookery.node.config.ProtectedAction;
import io.rookery.node.debug.DatasetDigest;
import io.rookery.node.debug.DebugSwitches;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.CommandRegistry;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.AccessMeta;
import io.rookery.node.keyspace.ActiveExpireCycle;
import io.rookery.node.keyspace.Dict;
import io.rookery.node.keyspace.TypedValue;
import io.rookery.node.multi.Transactions;
import io.rookery.node.persistence.Persistence;
import io.rookery.node.rdb.DumpPayload;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbLoader;
import io.rookery.node.replication.Replication;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.RespWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEBUG, as Redis 7.0's debug.c answers it, for the subcommands that mean something on the JVM (those
 * that crash the process, print C structures or tune jemalloc get Redis's unknown-subcommand error).
 * The command is refused unless {@code enable-debug-command} allows the client (yes, or local for
 * loopback clients), with Redis's text, before anything else is checked.
 */
final class DebugCommands extends CommandGroup {
    private static final Logger LOG = LoggerFactory.getLogger(DebugCommands.class);
    static final String NOT_ALLOWED = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
            + "you can run it from a local connection, otherwise you need to set this option in the configuration file, "
            + "and then restart the server.";
    /** Redis's default quicklist packed threshold (1 GB) and its upper limit (4 GB - 1 MB). */
    private static final long PACKED_THRESHOLD_MAX = (1L << 32) - (1 << 20);

    private final TypeContext types;
    private final Transactions transactions;
    private final ActiveExpireCycle expireCycle;
    private final Persistence persistence;
    private final Replication replication;
    private final DebugSwitches debugSwitches;

    DebugCommands(CommandBasics basics, TypeContext types, Transactions transactions, ActiveExpireCycle expireCycle,
                  Persistence persistence, Replication replication, DebugSwitches debugSwitches) {
        super(basics);
        this.types = types;
        this.transactions = transactions;
        this.expireCycle = expireCycle;
        this.persistence = persistence;
        this.replication = replication;
        this.debugSwitches = debugSwitches;
    }

    void register(CommandRegistry r) {
        r.register("debug", this::debug);
        dispatcher.stages().protectedCommand((client, spec, args) -> spec.name().equals("debug")
                && !ProtectedAction.of(config, ProtectedAction.DEBUG_COMMAND).allows(client.connection().isLoopback())
                ? NOT_ALLOWED : null);
    }

    private void debug(Client c, byte[][] a) {
        dispatcher.propagation().suppress(); // DEBUG changes no data a replica or the AOF must repeat
        String sub = Args.text(a[1]).toLowerCase(Locale.ROOT);
        int argc = a.length;
        switch (sub) {
            case "help" -> {
                if (argc != 2) {
                    throw syntaxError(a);
                }
                help(c);
            }
            case "object" -> require(argc == 3, a, () -> object(c, a[2]));
            case "sleep" -> require(argc == 3, a, () -> sleep(c, a[2]));
            case "reload" -> reload(c, a);
            case "loadaof" -> require(argc == 2, a, () -> loadAof(c));
            case "set-active-expire" -> require(argc == 3, a, () -> {
                expireCycle.enabled(atoi(a[2]) != 0);
                c.reply().ok();
            });
            case "digest" -> require(argc == 2, a, () -> c.reply().simple(DatasetDigest.of(keyspace)));
            case "digest-value" -> {
                c.reply().array(argc - 2);
                for (int i = 2; i < argc; i++) {
                    c.reply().simple(DatasetDigest.ofValue(db(c), a[i]));
                }
            }
            case "htstats" -> require(argc == 3, a, () -> htstats(c, a[2]));
            case "htstats-key" -> require(argc == 3, a, () -> htstatsKey(c, a[2]));
            case "protocol" -> require(argc == 3, a, () -> protocol(c, Args.text(a[2]).toLowerCase(Locale.ROOT)));
            case "quicklist-packed-threshold" -> require(argc == 3, a, () -> {
                long size = io.rookery.node.config.ConfigValues.parseMemory(Args.text(a[2]));
                if (size < 0 || size > PACKED_THRESHOLD_MAX) {
                    throw new CommandError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
                }
                c.reply().ok(); // lists here are one array, never split into plain nodes: nothing to tune
            });
            case "listpack" -> require(argc == 3, a, () -> structure(c, a[2], "listpack", "Listpack"));
            case "quicklist" -> require(argc == 3 || argc == 4, a, () -> structure(c, a[2], "quicklist", "Quicklist"));
            case "stringmatch-test" -> require(argc == 2, a, () -> c.reply().simple("Apparently Redis did not crash: test passed"));
            case "change-repl-id" -> require(argc == 2, a, () -> {
                LOG.warn("Changing replication IDs after receiving DEBUG change-repl-id");
                replication.changeReplicationId();
                c.reply().ok();
            });
            case "replybuffer" -> require(argc == 4, a, () -> replyBuffer(c, a));
            case "populate" -> require(argc >= 3 && argc <= 5, a, () -> populate(c, a));
            case "log" -> require(argc == 3, a, () -> {
                LOG.warn("DEBUG LOG: {}", Args.text(a[2]));
                c.reply().ok();
            });
            case "error" -> require(argc == 3, a, () -> c.reply().raw(("-" + Args.text(a[2]).replace('\n', ' ').replace('\r', ' ')
                    + "\r\n").getBytes(StandardCharsets.UTF_8)));
            case "set-skip-checksum-validation" -> require(argc == 3, a, () -> {
                debugSwitches.checksumValidationSkipped(atoi(a[2]) != 0);
                c.reply().ok();
            });
            case "set-disable-deny-scripts" -> require(argc == 3, a, () -> {
                debugSwitches.denyScriptsDisabled(atoi(a[2]) != 0);
                c.reply().ok();
            });
            case "pause-cron" -> require(argc == 3, a, () -> {
                debugSwitches.cronPaused(atoi(a[2]) != 0);
                c.reply().ok();
            });
            case "aof-flush-sleep" -> require(argc == 3, a, c.reply()::ok);
            case "client-eviction" -> require(argc == 2, a, () -> {
                throw new CommandError("ERR maxmemory-clients is disabled.");
            });
            default -> throw syntaxError(a);
        }
    }

    /** Runs {@code action} when the argument count fits the subcommand, else Redis's syntax error. */
    private static void require(boolean argcOk, byte[][] a, Runnable action) {
        if (!argcOk) {
            throw syntaxError(a);
        }
        action.run();
    }

    private static CommandError syntaxError(byte[][] a) {
        return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + Args.text(a[1])
                + "'. Try DEBUG HELP.");
    }

    /** C's atoi: the leading integer, 0 when there is none. */
    private static int atoi(byte[] arg) {
        String s = Args.text(arg).trim();
        int end = 0;
        if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+')) {
            end++;
        }
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(s.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- OBJECT

    // "Value at:<address> refcount:N encoding:E serializedlength:N lru:N lru_seconds_idle:N" (+ quicklist fields)
    private void object(Client c, byte[] key) {
        Dict.Entry e = db(c).storedEntry(key);
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        Object v = e.value();
        String encoding = v instanceof byte[] b ? io.rookery.node.keyspace.StringEncoding.of(b, e.meta())
                : ((TypedValue) v).encoding();
        long serialized = DumpPayload.create(v, config.rdbcompression).length - 11L; // minus type byte and footer
        long now = keyspace.now();
        StringBuilder s = new StringBuilder("Value at:0x").append(Integer.toHexString(System.identityHashCode(e)))
                .append(" refcount:1 encoding:").append(encoding)
                .append(" serializedlength:").append(serialized)
                .append(" lru:").append(e.meta() & AccessMeta.ACCESS_MASK)
                .append(" lru_seconds_idle:").append(AccessMeta.idleMillis(e.meta(), now) / 1000);
        if (v instanceof ListValue list) {
            quicklistFields(s, list);
        }
        c.reply().simple(s.toString());
    }

    /** The quicklist fields Redis adds, for the listpack nodes a quicklist of this list would have. */
    private void quicklistFields(StringBuilder s, ListValue list) {
        int fill = config.listMaxListpackSize;
        long bytes = 0;
        for (byte[] element : list.toArray()) {
            bytes += element.length + 2;
        }
        long nodes;
        if (fill > 0) {
            nodes = (list.size() + fill - 1) / fill;
        } else {
            long limit = 4096L << Math.min(4, -fill - 1);
            nodes = (bytes + limit - 1) / limit;
        }
        nodes = Math.max(1, nodes);
        s.append(" ql_nodes:").append(nodes)
                .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) list.size() / nodes))
                .append(" ql_listpack_max:").append(fill)
                .append(" ql_compressed:").append(config.listCompressDepth != 0 ? 1 : 0)
                .append(" ql_uncompressed_size:").append(bytes + 7 * nodes);
    }

    /** DEBUG LISTPACK / QUICKLIST: Redis prints the structure on its stdout; we log it. */
    private void structure(Client c, byte[] key, String encoding, String title) {
        Dict.Entry e = db(c).entry(key);
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (!(e.value() instanceof TypedValue t) || !t.encoding().equals(encoding)) {
            throw new CommandError("ERR Not a " + encoding + " encoded object.");
        }
        LOG.info("{} of {}: {} entries", title, Args.text(key), t.size());
        c.reply().simple(title + " structure printed on stdout");
    }

    // ---------------------------------------------------------------- HTSTATS, HTSTATS-KEY

    // HTSTATS dbid: the key and expire tables of a database, in Redis's layout (sizes only: the tables differ).
    private void htstats(Client c, byte[] dbArg) {
        long id = Args.integer(dbArg);
        if (id < 0 || id >= keyspace.count()) {
            throw new CommandError("ERR Out of range database");
        }
        var db = keyspace.db((int) id);
        c.reply().verbatim("txt", "[Dictionary HT]\n" + tableStats(db.size()) + "[Expires HT]\n" + tableStats(db.expiresSize()));
    }

    // HTSTATS-KEY key: the same for a set, hash or sorted set kept as a hash table.
    private void htstatsKey(Client c, byte[] key) {
        Dict.Entry e = db(c).entry(key);
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (!(e.value() instanceof TypedValue t) || !t.encoding().equals("hashtable") && !t.encoding().equals("skiplist")) {
            throw new CommandError("ERR The value stored at the specified key is not represented using an hash table");
        }
        c.reply().verbatim("txt", tableStats(t.size()));
    }

    /** Redis's dictGetStats header for a table of {@code n} elements (chain details are C-dict specific). */
    private static String tableStats(long n) {
        if (n == 0) {
            return "Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n";
        }
        long size = Math.max(4, Long.highestOneBit(n - 1) << 1);
        return "Hash table 0 stats (main hash table):\n table size: " + size + "\n number of elements: " + n + "\n";
    }

    // ---------------------------------------------------------------- SLEEP, RELOAD, POPULATE

    /** Stops the command thread (the whole server) for the given seconds, decimals allowed, as Redis. */
    private void sleep(Client c, byte[] seconds) {
        double s;
        try {
            s = Double.parseDouble(Args.text(seconds).trim());
        } catch (NumberFormatException e) {
            s = 0; // strtod: no number is zero
        }
        long micros = (long) (s * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    // RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB, empty the dataset, load the file back.
    private void reload(Client c, byte[][] a) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int i = 2; i < a.length; i++) {
            if (Args.is(a[i], "MERGE")) {
                merge = true;
            } else if (Args.is(a[i], "NOFLUSH")) {
                flush = false;
            } else if (Args.is(a[i], "NOSAVE")) {
                save = false;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        if (save) {
            try {
                persistence.save();
            } catch (IOException e) {
                throw new CommandError("ERR");
            }
        }
        if (flush) {
            keyspace.emptyForLoad();
            transactions.touchAll(-1);
        }
        try {
            byte[] data = Files.readAllBytes(persistence.file());
            RdbLoader.load(data, keyspace, types,
                    config.rdbchecksum && !debugSwitches.checksumValidationSkipped(), merge);
        } catch (IOException | RdbFormatException e) {
            LOG.warn("DEBUG RELOAD failed: {}", e.getMessage());
            throw new CommandError("ERR Error trying to load the RDB dump");
        }
        LOG.warn("DB reloaded by DEBUG RELOAD");
        c.reply().ok();
    }

    // LOADAOF: flush the AOF buffer, empty the dataset, load the AOF back.
    private void loadAof(Client c) {
        transactions.touchAll(-1);
        try {
            persistence.reloadAof();
        } catch (IOException | RuntimeException e) {
            LOG.warn("DEBUG LOADAOF failed: {}", e.getMessage());
            throw new CommandError("ERR Error trying to load the AOF: " + e.getMessage());
        }
        LOG.warn("Append Only File loaded by DEBUG LOADAOF");
        c.reply().ok();
    }

    // POPULATE count [prefix] [size]: string keys prefix:N = "value:N" (padded or cut to size), existing keys kept.
    private void populate(Client c, byte[][] a) {
        long count = Args.integer(a[2], Errors.POSITIVE_COUNT);
        if (count < 0) {
            throw new CommandError(Errors.POSITIVE_COUNT);
        }
        long size = 0;
        if (a.length == 5) {
            size = Args.integer(a[4], Errors.POSITIVE_COUNT);
            if (size < 0) {
                throw new CommandError(Errors.POSITIVE_COUNT);
            }
        }
        String prefix = a.length >= 4 ? Args.text(a[3]) : "key";
        var db = db(c);
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
            if (db.getForWrite(key) != null) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = text;
            if (size != 0) {
                value = new byte[(int) size];
                System.arraycopy(text, 0, value, 0, (int) Math.min(size, text.length));
            }
            db.add(key, value);
            transactions.touch(c.db, key);
        }
        c.reply().ok();
    }

    // ---------------------------------------------------------------- PROTOCOL, REPLYBUFFER, HELP

    private void protocol(Client c, String type) {
        RespWriter r = c.reply();
        switch (type) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.dbl(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array", "set" -> {
                if (type.equals("array")) {
                    r.array(3);
                } else {
                    r.set(3);
                }
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (c.protocol() >= 3) {
                    r.raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (c.protocol() < 3) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("txt", "This is a verbatim\nstring");
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    // REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|ms> | RESIZING <0|1>: reply buffers are Netty's here; accepted.
    private void replyBuffer(Client c, byte[][] a) {
        if (Args.is(a[2], "PEAK-RESET-TIME")) {
            if (!Args.is(a[3], "NEVER") && !Args.is(a[3], "RESET")) {
                Args.integer(a[3]);
            }
        } else if (!Args.is(a[2], "RESIZING")) {
            throw syntaxError(a);
        }
        c.reply().ok();
    }

    private void help(Client c) {
        Help.reply(c.reply(), "DEBUG",
                "CHANGE-REPL-ID", "    Change the replication IDs of the instance.",
                "    Dangerous: should be used only for testing the replication subsystem.",
                "DIGEST", "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]", "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>", "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOG <message>", "    Write <message> to the server log.",
                "LOADAOF", "    Flush the AOF buffers on disk and reload the AOF in memory.",
                "HTSTATS <dbid>", "    Return hash table statistics of the specified Redis database.",
                "HTSTATS-KEY <key>", "    Like HTSTATS but for the hash table stored at <key>'s value.",
                "OBJECT <key>", "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "PROTOCOL <type>", "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "RELOAD [option ...]", "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
                "    * MERGE: conflicting keys will be loaded from RDB.",
                "    * NOFLUSH: the existing database will not be removed before load, but",
                "      conflicting keys will generate an exception and kill the server.",
                "    * NOSAVE: the database will be loaded from an existing RDB file.",
                "    Examples:",
                "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
                "      the database.",
                "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
                "      existing RDB file.",
                "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
                "      file to the database.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
                "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
                "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
                "SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed.",
                "STRINGMATCH-TEST", "    Run a fuzz tester against the stringmatchlen() function.",
                "LISTPACK <key>", "    Show low level info about the listpack encoding of <key>.",
                "QUICKLIST <key> [<0|1>]", "    Show low level info about the quicklist encoding of <key>.",
                "    The optional argument (0 by default) sets the level of detail",
                "PAUSE-CRON <0|1>", "    Stop periodic cron job processing.",
                "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
                "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
                "    In case NEVER is provided the last observed peak will never be reset",
                "    In case RESET is provided the peak reset time will be restored to the default value",
                "REPLYBUFFER RESIZING <0|1>", "    Enable or disable the reply buffer resize cron job");
    }
}
