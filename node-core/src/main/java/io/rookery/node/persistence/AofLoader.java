package io.rookery.node.persistence;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rookery.node.client.Client;
import io.rookery.node.dispatch.Args;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.keyspace.Keyspace;
import io.rookery.node.rdb.RdbFormatException;
import io.rookery.node.rdb.RdbLoader;
import io.rookery.node.types.TypeContext;
import io.rookery.protocol.ProtocolException;
import io.rookery.protocol.ProtocolLimits;
import io.rookery.protocol.RequestDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a multi-part AOF at start-up: the base (an RDB when it ends in ".rdb", else commands), then
 * each increment file in manifest order. Every file the manifest names must exist before anything is
 * loaded: a missing one refuses start-up (as Redis does), since loading the others would start a node
 * that silently lacks the missing file's writes. Commands between MULTI and EXEC apply together at EXEC. A
 * file that ends in the middle of a command (or of a MULTI block) is truncated there when
 * {@code aof-load-truncated} is yes and refused otherwise; anything else malformed refuses start-up.
 */
final class AofLoader {
    private static final Logger LOG = LoggerFactory.getLogger(AofLoader.class);

    private AofLoader() {
    }

    static long load(Aof aof, AofManifest m, Keyspace keyspace, TypeContext types, Dispatcher dispatcher,
                     boolean loadTruncated, boolean verifyChecksum) throws IOException {
        requireFiles(aof, m);
        long commands = 0;
        if (m.base() != null) {
            Path base = aof.dir().resolve(m.base());
            if (m.base().endsWith(".rdb")) {
                try {
                    RdbLoader.load(Files.readAllBytes(base), keyspace, types, verifyChecksum);
                } catch (RdbFormatException e) {
                    throw new IOException("Bad base file " + base + ": " + e.getMessage(), e);
                }
            } else {
                commands += replay(base, dispatcher, false);
            }
        }
        for (int i = 0; i < m.increments().size(); i++) {
            Path f = aof.dir().resolve(m.increments().get(i));
            boolean last = i == m.increments().size() - 1;
            commands += replay(f, dispatcher, loadTruncated && last);
        }
        return commands;
    }

    /** Refuses (with Redis's log text) a manifest that names a file that is not there. */
    private static void requireFiles(Aof aof, AofManifest m) throws IOException {
        List<String> named = new ArrayList<>();
        if (m.base() != null) {
            named.add(m.base());
        }
        named.addAll(m.increments());
        for (String name : named) {
            Path f = aof.dir().resolve(name);
            if (!Files.exists(f)) {
                throw new IOException("Unable to obtain the AOF file " + name + " length. stat: No such file or directory");
            }
        }
    }

    private static long replay(Path file, Dispatcher dispatcher, boolean truncateTail) throws IOException {
        byte[] data = Files.readAllBytes(file);
        ByteBuf in = Unpooled.wrappedBuffer(data);
        RequestDecoder decoder = new RequestDecoder(ProtocolLimits.defaults());
        Client client = loadingClient();
        List<byte[][]> multi = null;
        int multiStart = 0;
        long count = 0;
        int good = 0;
        try {
            while (in.isReadable()) {
                byte[][] args = decoder.decode(in);
                if (args == null) {
                    break;
                }
                if (args.length == 0) {
                    good = in.readerIndex();
                    continue;
                }
                if (Args.is(args[0], "MULTI")) {
                    multi = new ArrayList<>();
                    multiStart = good;
                } else if (Args.is(args[0], "EXEC") && multi != null) {
                    for (byte[][] queued : multi) {
                        dispatcher.replay(client, queued);
                        count++;
                    }
                    multi = null;
                } else if (multi != null) {
                    multi.add(args);
                } else {
                    dispatcher.replay(client, args);
                    count++;
                }
                good = in.readerIndex();
            }
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new IOException("Bad file format reading the append only file " + file + ": " + e.getMessage(), e);
        }
        int keep = multi != null ? multiStart : good;
        if (keep < data.length) {
            if (!truncateTail) {
                throw new IOException("Unexpected end of file reading the append only file " + file
                        + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                        + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
            }
            LOG.warn("!!! Warning: short read while loading the AOF file {}!!! AOF loaded anyway because aof-load-truncated "
                    + "is enabled; truncating it from {} to {} bytes{}", file, data.length, keep,
                    multi != null ? " (an incomplete MULTI/EXEC block was reverted)" : "");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
        return count;
    }

    private static Client loadingClient() {
        return new Client(0, new io.rookery.node.client.DetachedConnection("aof"), UnpooledByteBufAllocator.DEFAULT,
                System.currentTimeMillis());
    }
}
