package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rookery.protocol.Numbers;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.command.CommandSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Key-less commands about the whole dataset, sent to every primary and combined: DBSIZE (summed), KEYS
 * (concatenated), FLUSHALL/FLUSHDB and SCRIPT/FUNCTION loading and flushing (done everywhere, so an
 * EVALSHA or FCALL works on whichever primary its keys live; the first primary's reply is the answer),
 * RANDOMKEY (the first primary that has a key). SCAN walks the primaries one after the other with a
 * combined cursor ({@link ScanCursor}).
 */
final class AllPrimaries {
    private final GatewayContext gateway;
    private final LoopBackends backends;

    AllPrimaries(GatewayContext gateway, LoopBackends backends) {
        this.gateway = gateway;
        this.backends = backends;
    }

    void run(ClientSession c, CommandSpec spec, byte[][] args) {
        String name = spec.name();
        Receiver target = c.enqueue(name);
        List<String> primaries = gateway.topology().current().primaries();
        if (primaries.isEmpty()) {
            target.failed("CLUSTERDOWN The cluster is down");
            return;
        }
        if (name.equals("scan")) {
            scan(c, args, primaries, target);
            return;
        }
        if (name.equals("randomkey")) {
            randomKey(c, args, primaries, 0, target);
            return;
        }
        Gather gather = new Gather(name, primaries.size(), target);
        for (String p : primaries) {
            new RoutedRequest(backends, args, -1, c.protocol, gather.part(), c, false).startAt(p);
        }
    }

    private void randomKey(ClientSession c, byte[][] args, List<String> primaries, int index, Receiver target) {
        new RoutedRequest(backends, args, -1, c.protocol, new Receiver() {
            @Override
            public void reply(ByteBuf buf, int from, int to) {
                byte p = buf.getByte(from);
                boolean empty = p == '_' || (p == '$' && buf.getByte(from + 1) == '-');
                if (empty && index + 1 < primaries.size()) {
                    randomKey(c, args, primaries, index + 1, target);
                } else {
                    target.reply(buf, from, to);
                }
            }

            @Override
            public void failed(String error) {
                target.failed(error);
            }
        }, c, false).startAt(primaries.get((index + (int) (System.nanoTime() & 0xff)) % primaries.size()));
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] across the primaries. */
    private void scan(ClientSession c, byte[][] args, List<String> primaries, Receiver target) {
        ScanCursor.Position at = ScanCursor.decode(CommandRouter.text(args[1]), primaries.size());
        if (at == null) {
            target.failed("ERR invalid cursor");
            return;
        }
        int index = at.primary();
        long cursor = at.cursor();
        byte[][] part = args.clone();
        part[1] = Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII);
        new RoutedRequest(backends, part, -1, c.protocol, new Receiver() {
            @Override
            public void reply(ByteBuf buf, int from, int to) {
                try {
                    int[] bounds = ReplyFramer.elements(buf, from);
                    if (bounds == null || bounds.length != 3) {
                        target.reply(buf, from, to);
                        return;
                    }
                    int headerEnd = buf.indexOf(bounds[0], bounds[1], (byte) '\r');
                    String next = buf.toString(headerEnd + 2, bounds[1] - headerEnd - 4, StandardCharsets.US_ASCII);
                    long nextCursor = Long.parseUnsignedLong(next);
                    long out = ScanCursor.next(index, nextCursor, primaries.size());
                    if (out == -1) {
                        target.failed("ERR gateway: a backend's SCAN cursor is too large to combine");
                        return;
                    }
                    byte[] text = Long.toUnsignedString(out).getBytes(StandardCharsets.US_ASCII);
                    ByteBuf reply = ByteBufAllocator.DEFAULT.buffer(32 + (bounds[2] - bounds[1]));
                    reply.writeCharSequence("*2\r\n$", StandardCharsets.US_ASCII);
                    Numbers.writeLong(reply, text.length);
                    reply.writeByte('\r').writeByte('\n').writeBytes(text).writeByte('\r').writeByte('\n');
                    reply.writeBytes(buf, bounds[1], bounds[2] - bounds[1]);
                    try {
                        target.reply(reply, reply.readerIndex(), reply.writerIndex());
                    } finally {
                        reply.release();
                    }
                } catch (ProtocolException | NumberFormatException e) {
                    target.failed("ERR gateway: malformed SCAN reply from a backend");
                }
            }

            @Override
            public void failed(String error) {
                target.failed(error);
            }
        }, c, false).startAt(primaries.get(index));
    }

    /** Collects one reply per primary and combines them by the command's kind. */
    private static final class Gather {
        private final String name;
        private final Receiver target;
        private final List<ByteBuf> elements = new ArrayList<>();
        private ByteBuf first;
        private int remaining;
        private int handedOut;
        private long sum;
        private String error;

        Gather(String name, int parts, Receiver target) {
            this.name = name;
            this.remaining = parts;
            this.target = target;
        }

        Receiver part() {
            boolean isFirst = handedOut++ == 0;
            return new Receiver() {
                @Override
                public void reply(ByteBuf buf, int from, int to) {
                    take(buf, from, to, isFirst);
                    done();
                }

                @Override
                public void failed(String e) {
                    if (error == null) {
                        error = e;
                    }
                    done();
                }
            };
        }


        private void take(ByteBuf buf, int from, int to, boolean isFirst) {
            byte prefix = buf.getByte(from);
            if (prefix == '-') {
                if (error == null) {
                    error = ReplyFramer.line(buf, from);
                }
                return;
            }
            switch (name) {
                case "dbsize" -> {
                    int cr = buf.indexOf(from, to, (byte) '\r');
                    sum += Numbers.parse(buf, from + 1, cr);
                }
                case "keys" -> {
                    try {
                        int[] bounds = ReplyFramer.elements(buf, from);
                        if (bounds != null) {
                            sum += bounds.length - 1;
                            ByteBuf body = ByteBufAllocator.DEFAULT.buffer(to - bounds[0]);
                            body.writeBytes(buf, bounds[0], bounds[bounds.length - 1] - bounds[0]);
                            elements.add(body);
                        }
                    } catch (ProtocolException e) {
                        error = "ERR gateway: malformed KEYS reply from a backend";
                    }
                }
                default -> {
                    if (isFirst) {
                        first = ByteBufAllocator.DEFAULT.buffer(to - from);
                        first.writeBytes(buf, from, to - from);
                    }
                }
            }
        }

        private void done() {
            if (--remaining > 0) {
                return;
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer(64);
            if (error != null) {
                out.writeByte('-').writeCharSequence(error, StandardCharsets.UTF_8);
                out.writeByte('\r').writeByte('\n');
            } else if (name.equals("dbsize")) {
                out.writeByte(':');
                Numbers.writeLong(out, sum);
                out.writeByte('\r').writeByte('\n');
            } else if (name.equals("keys")) {
                out.writeByte('*');
                Numbers.writeLong(out, sum);
                out.writeByte('\r').writeByte('\n');
                for (ByteBuf e : elements) {
                    out.writeBytes(e);
                }
            } else if (first != null) {
                out.writeBytes(first);
            } else {
                out.writeCharSequence("+OK\r\n", StandardCharsets.US_ASCII);
            }
            elements.forEach(ByteBuf::release);
            if (first != null) {
                first.release();
            }
            try {
                target.reply(out, out.readerIndex(), out.writerIndex());
            } finally {
                out.release();
            }
        }
    }
}
