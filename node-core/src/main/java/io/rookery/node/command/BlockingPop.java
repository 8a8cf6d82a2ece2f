package io.rookery.node.command;

import io.rookery.node.blocking.Blocking;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.CommandError;
import io.rookery.node.dispatch.Errors;
import io.rookery.node.keyspace.Database;
import io.rookery.node.keyspace.Keyspace;
import java.util.Arrays;
import java.util.List;

/**
 * What every popping command with a blocking form shares (BLPOP, BLMPOP, BZPOPMIN, BZMPOP, ...):
 * serve from the first key that holds data now; otherwise answer the timeout reply at once (the
 * non-blocking forms, or inside MULTI/EXEC), or wait on the keys until one is fed.
 */
final class BlockingPop {
    private BlockingPop() {
    }

    /** Pops from {@code key} and replies; false when the key holds no value of the right type. */
    interface Server {
        boolean serve(Database db, byte[] key);
    }

    /**
     * @param timeoutMillis -1 for the non-blocking form, 0 to wait forever
     * @param server        tries one key; on the immediate pass it may throw WRONGTYPE
     */
    static void serveOrBlock(Keyspace keyspace, Blocking blocking, Client c, List<byte[]> keys, long timeoutMillis, Server server,
                             Runnable timeoutReply) {
        Database db = keyspace.db(c.db);
        for (byte[] key : keys) {
            if (server.serve(db, key)) {
                return;
            }
        }
        if (timeoutMillis < 0 || c.inExec) {
            timeoutReply.run();
            return;
        }
        int dbIndex = c.db;
        blocking.block(c, dbIndex, keys, timeoutMillis, new Blocking.Waiter() {
            @Override
            public boolean serve(byte[] key) {
                try {
                    if (!server.serve(keyspace.db(dbIndex), key)) {
                        return false;
                    }
                    blocking.written(dbIndex, key);
                    return true;
                } catch (CommandError wrongType) {
                    return false; // the key was replaced by another type: keep waiting, as Redis does
                }
            }

            @Override
            public void timeout() {
                timeoutReply.run();
            }
        });
    }

    /** The arguments of LMPOP/ZMPOP (and their blocking forms): keys, which end, how many. */
    record MultiPop(List<byte[]> keys, boolean first, long count) {

        /**
         * Parses {@code numkeys key [key ...] <firstWord | lastWord> [COUNT count]} starting at
         * {@code numkeysAt}.
         */
        static MultiPop parse(byte[][] a, int numkeysAt, String firstWord, String lastWord) {
            long numkeys = Args.integer(a[numkeysAt], "ERR numkeys should be greater than 0");
            if (numkeys <= 0 || numkeys > Integer.MAX_VALUE) {
                throw new CommandError("ERR numkeys should be greater than 0");
            }
            int firstKey = numkeysAt + 1;
            long where = firstKey + numkeys;
            if (where >= a.length) {
                throw Errors.syntax();
            }
            boolean first;
            if (Args.is(a[(int) where], firstWord)) {
                first = true;
            } else if (Args.is(a[(int) where], lastWord)) {
                first = false;
            } else {
                throw Errors.syntax();
            }
            long count = 1;
            boolean countGiven = false;
            for (int i = (int) where + 1; i < a.length; i++) {
                if (Args.is(a[i], "COUNT") && i + 1 < a.length && !countGiven) {
                    count = Args.integer(a[++i], "ERR count should be greater than 0");
                    if (count <= 0) {
                        throw new CommandError("ERR count should be greater than 0");
                    }
                    countGiven = true;
                } else {
                    throw Errors.syntax();
                }
            }
            return new MultiPop(Arrays.asList(a).subList(firstKey, (int) where), first, count);
        }
    }
}
