package io.rookery.protocol.cluster.bus;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Redis 7.0's cluster bus message layout ({@code clusterMsg} in cluster.h), written and read byte for
 * byte so Rookery and redis-server nodes can share a cluster. Every number is big-endian (network
 * order); names are 40 hex characters without a terminator; IPs are NUL-padded to 46 bytes.
 *
 * <pre>
 * offset size field                offset size field
 *      0    4 sig "RCmb"             2128   40 slaveof (all NUL: a primary)
 *      4    4 totlen                 2168   46 myip (all NUL: use the socket's address)
 *      8    2 ver = 1                2214    2 extensions (ping extensions that follow the gossip)
 *     10    2 port                   2216   30 reserved
 *     12    2 type                   2246    2 pport
 *     14    2 count (gossip entries) 2248    2 cport
 *     16    8 currentEpoch           2250    2 flags (node flags)
 *     24    8 configEpoch            2252    1 state (0 ok, 1 fail)
 *     32    8 offset                 2253    3 mflags (mflags[0]: PAUSED 1, FORCEACK 2, EXT_DATA 4)
 *     40   40 sender                 2256      data, by type:
 *     80 2048 myslots (bit s = byte s/8, bit s%8)
 *
 * PING/PONG/MEET: count x gossip (104 bytes: name 40, ping_sent 4, pong_received 4, ip 46, port 2,
 *                 cport 2, flags 2, pport 2, reserved 2), then, when mflags[0] has EXT_DATA,
 *                 extensions x (length 4 incl. this 8-byte head, type 2, reserved 2, data padded to 8)
 * FAIL:           name 40                             UPDATE: configEpoch 8, name 40, slots 2048
 * PUBLISH[SHARD]: channel_len 4, message_len 4, channel bytes, message bytes
 * MODULE:         module_id 8, len 4, type 1, payload (len bytes)
 * AUTH_REQUEST, AUTH_ACK, MFSTART: no data
 * </pre>
 *
 * A message is valid when its length is exactly what its type and counts call for, as Redis's
 * {@code clusterIsValidPacket} requires; anything else is a {@link MalformedBusMessageException}.
 */
public final class BusCodec {
    public static final byte[] SIGNATURE = {'R', 'C', 'm', 'b'};
    public static final int VERSION = 1;
    public static final int NAME_LENGTH = 40;
    public static final int IP_LENGTH = 46;
    public static final int SLOT_BYTES = 16384 / 8;
    /** The header's size: the smallest message there is (CLUSTERMSG_MIN_LEN). */
    public static final int HEADER_LENGTH = 2256;
    public static final int GOSSIP_LENGTH = 104;
    static final int OFFSET_SENDER = 40;
    static final int OFFSET_SLOTS = 80;
    static final int OFFSET_SLAVEOF = 2128;
    static final int OFFSET_MYIP = 2168;
    static final int OFFSET_EXTENSIONS = 2214;
    static final int OFFSET_PPORT = 2246;
    private static final int RESERVED_LENGTH = 30;
    private static final int EXTENSION_HEAD_LENGTH = 8;
    private static final int MODULE_HEAD_LENGTH = 13;
    private static final byte[] NO_NAME = new byte[NAME_LENGTH];

    private BusCodec() {
    }

    /** The total length the message will have on the wire. */
    public static int encodedLength(BusMessage message) {
        return HEADER_LENGTH + dataLength(message.body());
    }

    private static int dataLength(BusBody body) {
        if (body instanceof BusBody.Gossip g) {
            return g.entries().size() * GOSSIP_LENGTH + g.extensions().stream().mapToInt(BusCodec::extensionLength).sum();
        } else if (body instanceof BusBody.Fail) {
            return NAME_LENGTH;
        } else if (body instanceof BusBody.Publish p) {
            return 8 + p.channel().length + p.message().length;
        } else if (body instanceof BusBody.Update) {
            return 8 + NAME_LENGTH + SLOT_BYTES;
        } else if (body instanceof BusBody.Module m) {
            return MODULE_HEAD_LENGTH + m.payload().length;
        } else if (body instanceof BusBody.Unknown u) {
            return u.data().length;
        }
        return 0;
    }

    public static void encode(BusMessage message, ByteBuf out) {
        BusHeader h = message.header();
        BusBody body = message.body();
        int count = body instanceof BusBody.Gossip g ? g.entries().size() : 0;
        int extensions = body instanceof BusBody.Gossip g ? g.extensions().size() : 0;
        int mflags = h.messageFlags() & ~BusHeader.FLAG_EXT_DATA | (extensions > 0 ? BusHeader.FLAG_EXT_DATA : 0);
        out.writeBytes(SIGNATURE);
        out.writeInt(encodedLength(message));
        out.writeShort(VERSION);
        out.writeShort(h.port());
        out.writeShort(h.type());
        out.writeShort(count);
        out.writeLong(h.currentEpoch());
        out.writeLong(h.configEpoch());
        out.writeLong(h.offset());
        writeName(out, h.sender());
        writeSlots(out, h.slots());
        writeName(out, h.replicaOf());
        writeText(out, h.myIp(), IP_LENGTH);
        out.writeShort(extensions);
        out.writeZero(RESERVED_LENGTH);
        out.writeShort(h.pport());
        out.writeShort(h.cport());
        out.writeShort(h.nodeFlags());
        out.writeByte(h.state());
        out.writeByte(mflags);
        out.writeZero(2);
        writeData(out, body);
    }

    private static void writeData(ByteBuf out, BusBody body) {
        if (body instanceof BusBody.Gossip g) {
            g.entries().forEach(e -> writeGossip(out, e));
            g.extensions().forEach(x -> writeExtension(out, x));
        } else if (body instanceof BusBody.Fail f) {
            writeName(out, f.nodeName());
        } else if (body instanceof BusBody.Publish p) {
            out.writeInt(p.channel().length);
            out.writeInt(p.message().length);
            out.writeBytes(p.channel());
            out.writeBytes(p.message());
        } else if (body instanceof BusBody.Update u) {
            out.writeLong(u.configEpoch());
            writeName(out, u.nodeName());
            writeSlots(out, u.slots());
        } else if (body instanceof BusBody.Module m) {
            out.writeLong(m.moduleId());
            out.writeInt(m.payload().length);
            out.writeByte(m.moduleType());
            out.writeBytes(m.payload());
        } else if (body instanceof BusBody.Unknown u) {
            out.writeBytes(u.data());
        }
    }

    /**
     * Reads one whole message: {@code frame} holds exactly the bytes its {@code totlen} announced
     * (see the node's frame decoder). The frame's reader index is left at its end.
     */
    public static BusMessage decode(ByteBuf frame) throws MalformedBusMessageException {
        int start = frame.readerIndex();
        int length = frame.readableBytes();
        if (length < HEADER_LENGTH) {
            throw new MalformedBusMessageException("message of " + length + " bytes is shorter than the header");
        }
        if (!Arrays.equals(bytes(frame, start, 4), SIGNATURE)) {
            throw new MalformedBusMessageException("bad signature");
        }
        long totlen = frame.getUnsignedInt(start + 4);
        if (totlen != length) {
            throw new MalformedBusMessageException("totlen " + totlen + " but " + length + " bytes");
        }
        int version = frame.getUnsignedShort(start + 8);
        if (version != VERSION) {
            throw new MalformedBusMessageException("protocol version " + version);
        }
        int type = frame.getUnsignedShort(start + 12);
        int count = frame.getUnsignedShort(start + 14);
        int extensions = frame.getUnsignedShort(start + OFFSET_EXTENSIONS);
        int mflags = frame.getUnsignedByte(start + 2253);
        BusHeader header = new BusHeader(type, frame.getUnsignedShort(start + 10), frame.getLong(start + 16),
                frame.getLong(start + 24), frame.getLong(start + 32), readName(frame, start + OFFSET_SENDER),
                readSlots(frame, start + OFFSET_SLOTS), readName(frame, start + OFFSET_SLAVEOF),
                readText(frame, start + OFFSET_MYIP, IP_LENGTH), frame.getUnsignedShort(start + OFFSET_PPORT),
                frame.getUnsignedShort(start + 2248), frame.getUnsignedShort(start + 2250), frame.getUnsignedByte(start + 2252),
                mflags);
        int data = start + HEADER_LENGTH;
        int dataLength = length - HEADER_LENGTH;
        BusMessageType known = BusMessageType.of(type);
        BusBody body;
        if (known == null) {
            body = new BusBody.Unknown(bytes(frame, data, dataLength));
        } else {
            body = switch (known) {
                case PING, PONG, MEET -> readGossip(frame, data, dataLength, count,
                        (mflags & BusHeader.FLAG_EXT_DATA) != 0 ? extensions : 0);
                case FAIL -> {
                    expect(known, dataLength, NAME_LENGTH);
                    yield new BusBody.Fail(readName(frame, data));
                }
                case PUBLISH, PUBLISHSHARD -> readPublish(frame, data, dataLength);
                case UPDATE -> {
                    expect(known, dataLength, 8 + NAME_LENGTH + SLOT_BYTES);
                    yield new BusBody.Update(frame.getLong(data), readName(frame, data + 8),
                            readSlots(frame, data + 8 + NAME_LENGTH));
                }
                case MODULE -> readModule(frame, data, dataLength);
                case FAILOVER_AUTH_REQUEST, FAILOVER_AUTH_ACK, MFSTART -> {
                    expect(known, dataLength, 0);
                    yield new BusBody.Empty();
                }
            };
        }
        frame.readerIndex(start + length);
        return new BusMessage(header, body);
    }

    private static BusBody readGossip(ByteBuf f, int data, int dataLength, int count, int extensions)
            throws MalformedBusMessageException {
        long gossipBytes = (long) count * GOSSIP_LENGTH;
        if (gossipBytes > dataLength) {
            throw new MalformedBusMessageException(count + " gossip sections do not fit in " + dataLength + " bytes");
        }
        List<GossipEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = data + i * GOSSIP_LENGTH;
            entries.add(new GossipEntry(readName(f, at), f.getUnsignedInt(at + 40), f.getUnsignedInt(at + 44),
                    readText(f, at + 48, IP_LENGTH), f.getUnsignedShort(at + 94), f.getUnsignedShort(at + 96),
                    f.getUnsignedShort(at + 98), f.getUnsignedShort(at + 100)));
        }
        List<PingExtension> exts = new ArrayList<>(extensions);
        int at = data + (int) gossipBytes;
        int end = data + dataLength;
        for (int i = 0; i < extensions; i++) {
            if (end - at < EXTENSION_HEAD_LENGTH) {
                throw new MalformedBusMessageException("ping extension " + i + " runs past the message");
            }
            long extLength = f.getUnsignedInt(at);
            if (extLength % 8 != 0 || extLength < EXTENSION_HEAD_LENGTH || extLength > end - at) {
                throw new MalformedBusMessageException("ping extension of length " + extLength);
            }
            exts.add(new PingExtension(f.getUnsignedShort(at + 4),
                    bytes(f, at + EXTENSION_HEAD_LENGTH, (int) extLength - EXTENSION_HEAD_LENGTH)));
            at += (int) extLength;
        }
        if (at != end) {
            throw new MalformedBusMessageException((end - at) + " bytes after the gossip sections and extensions");
        }
        return new BusBody.Gossip(entries, exts);
    }

    private static BusBody readPublish(ByteBuf f, int data, int dataLength) throws MalformedBusMessageException {
        if (dataLength < 8) {
            throw new MalformedBusMessageException("publish message without its lengths");
        }
        long channelLength = f.getUnsignedInt(data);
        long messageLength = f.getUnsignedInt(data + 4);
        if (8 + channelLength + messageLength != dataLength) {
            throw new MalformedBusMessageException("publish lengths disagree with the message length");
        }
        return new BusBody.Publish(bytes(f, data + 8, (int) channelLength),
                bytes(f, data + 8 + (int) channelLength, (int) messageLength));
    }

    private static BusBody readModule(ByteBuf f, int data, int dataLength) throws MalformedBusMessageException {
        if (dataLength < MODULE_HEAD_LENGTH || f.getUnsignedInt(data + 8) != dataLength - MODULE_HEAD_LENGTH) {
            throw new MalformedBusMessageException("module message length disagrees with the message length");
        }
        return new BusBody.Module(f.getLong(data), f.getUnsignedByte(data + 12),
                bytes(f, data + MODULE_HEAD_LENGTH, dataLength - MODULE_HEAD_LENGTH));
    }

    private static void expect(BusMessageType type, int dataLength, int expected) throws MalformedBusMessageException {
        if (dataLength != expected) {
            throw new MalformedBusMessageException(type + " with " + dataLength + " data bytes, expected " + expected);
        }
    }

    private static int extensionLength(PingExtension x) {
        return EXTENSION_HEAD_LENGTH + x.payload().length;
    }

    private static void writeExtension(ByteBuf out, PingExtension x) {
        int length = extensionLength(x);
        out.writeInt(length);
        out.writeShort(x.type());
        out.writeShort(0);
        out.writeBytes(x.payload());
        out.writeZero(length - EXTENSION_HEAD_LENGTH - x.payload().length);
    }

    private static void writeGossip(ByteBuf out, GossipEntry e) {
        writeName(out, e.nodeName());
        out.writeInt((int) e.pingSent());
        out.writeInt((int) e.pongReceived());
        writeText(out, e.ip(), IP_LENGTH);
        out.writeShort(e.port());
        out.writeShort(e.cport());
        out.writeShort(e.flags());
        out.writeShort(e.pport());
        out.writeShort(0);
    }

    /** A node name: 40 characters, or all NUL for none. */
    private static void writeName(ByteBuf out, String name) {
        if (name == null) {
            out.writeBytes(NO_NAME);
            return;
        }
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length != NAME_LENGTH) {
            throw new IllegalArgumentException("a node name has 40 characters: " + name);
        }
        out.writeBytes(b);
    }

    private static String readName(ByteBuf f, int at) {
        byte[] b = bytes(f, at, NAME_LENGTH);
        return Arrays.equals(b, NO_NAME) ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Text NUL-padded to {@code size} bytes, always NUL-terminated (at most size - 1 bytes kept). */
    private static void writeText(ByteBuf out, String text, int size) {
        byte[] b = text == null ? new byte[0] : text.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(b.length, size - 1);
        out.writeBytes(b, 0, n);
        out.writeZero(size - n);
    }

    private static String readText(ByteBuf f, int at, int size) {
        int end = 0;
        while (end < size && f.getByte(at + end) != 0) {
            end++;
        }
        return f.toString(at, end, StandardCharsets.ISO_8859_1);
    }

    private static void writeSlots(ByteBuf out, BitSet slots) {
        byte[] b = slots.toByteArray();
        if (b.length > SLOT_BYTES) {
            throw new IllegalArgumentException("slot " + (slots.length() - 1) + " is beyond 16383");
        }
        out.writeBytes(b);
        out.writeZero(SLOT_BYTES - b.length);
    }

    private static BitSet readSlots(ByteBuf f, int at) {
        return BitSet.valueOf(bytes(f, at, SLOT_BYTES));
    }

    private static byte[] bytes(ByteBuf f, int at, int length) {
        byte[] b = new byte[length];
        f.getBytes(at, b);
        return b;
    }
}
