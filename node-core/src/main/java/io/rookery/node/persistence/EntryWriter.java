package io.rookery.node.persistence;

import io.rookery.node.keyspace.ValueType;
import io.rookery.node.rdb.RdbFileWriter;
import io.rookery.node.rdb.RdbOutput;
import io.rookery.node.types.HashValue;
import io.rookery.node.types.ListValue;
import io.rookery.node.types.SetValue;
import io.rookery.node.types.ZSetValue;
import io.rookery.protocol.DoubleFormat;
import io.rookery.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** How a snapshot serializes what it captures: RDB records, or RESP commands (an AOF base without preamble). */
interface EntryWriter {
    void select(RdbOutput out, int db);

    void entry(RdbOutput out, byte[] key, Object value, long expireAt);

    EntryWriter RDB = new EntryWriter() {
        @Override
        public void select(RdbOutput out, int db) {
            RdbFileWriter.selectDb(out, db, -1, -1);
        }

        @Override
        public void entry(RdbOutput out, byte[] key, Object value, long expireAt) {
            RdbFileWriter.entry(out, key, value, expireAt);
        }
    };

    /** Commands that rebuild each key: SET, RPUSH, HSET, SADD, ZADD in batches, a stream's XADDs (see StreamRewrite), then PEXPIREAT. */
    EntryWriter COMMANDS = new EntryWriter() {
        private static final int BATCH = 64;

        @Override
        public void select(RdbOutput out, int db) {
            command(out, List.of(b("SELECT"), Numbers.toBytes(db)));
        }

        @Override
        public void entry(RdbOutput out, byte[] key, Object value, long expireAt) {
            switch (ValueType.of(value)) {
                case STRING -> command(out, List.of(b("SET"), key, (byte[]) value));
                case LIST -> batches(out, "RPUSH", key, List.of(((ListValue) value).toArray()), 1);
                case SET -> batches(out, "SADD", key, ((SetValue) value).members(), 1);
                case HASH -> batches(out, "HSET", key, ((HashValue) value).pairs(), 2);
                case ZSET -> {
                    List<byte[]> items = new ArrayList<>();
                    ((ZSetValue) value).forEach(e -> {
                        items.add(DoubleFormat.g17(e.score()).getBytes(StandardCharsets.US_ASCII));
                        items.add(e.member());
                    });
                    batches(out, "ZADD", key, items, 2);
                }
                case STREAM -> StreamRewrite.commands(key, (io.rookery.node.types.StreamValue) value).forEach(c -> command(out, c));
            }
            if (expireAt >= 0) {
                command(out, List.of(b("PEXPIREAT"), key, Numbers.toBytes(expireAt)));
            }
        }

        private void batches(RdbOutput out, String name, byte[] key, List<byte[]> items, int group) {
            for (int i = 0; i < items.size(); i += BATCH * group) {
                List<byte[]> cmd = new ArrayList<>();
                cmd.add(b(name));
                cmd.add(key);
                cmd.addAll(items.subList(i, Math.min(items.size(), i + BATCH * group)));
                command(out, cmd);
            }
        }

        private void command(RdbOutput out, List<byte[]> args) {
            out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(a);
                out.writeBytes(new byte[]{'\r', '\n'});
            }
        }

        private byte[] b(String s) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    };
}
