package io.rookery.node.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.rookery.protocol.cluster.bus.BusCodec;
import io.rookery.protocol.cluster.bus.BusMessage;
import io.rookery.protocol.cluster.bus.MalformedBusMessageException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the bus byte stream into messages as Redis's {@code clusterReadHandler} does: the first 8
 * bytes give the signature and the total length; a wrong signature or a length below the header's
 * closes the link (nothing after it can be trusted); a whole frame that breaks its type's layout is
 * dropped and the link stays, as Redis drops an invalid packet.
 */
final class BusFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(BusFrameDecoder.class);
    /** Frames above this are refused rather than buffered (a PUBLISH carries at most a 512 MB message). */
    private static final long MAX_FRAME = 600L * 1024 * 1024;

    /** The capacity of the buffer holding a frame received in part (0 between frames). */
    int bufferedCapacity() {
        return internalBuffer().capacity();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 8) {
            return;
        }
        int start = in.readerIndex();
        byte[] sig = new byte[4];
        in.getBytes(start, sig);
        long totlen = in.getUnsignedInt(start + 4);
        if (!Arrays.equals(sig, BusCodec.SIGNATURE) || totlen < BusCodec.HEADER_LENGTH || totlen > MAX_FRAME) {
            throw new DecoderException("Bad message length or signature received from Cluster bus.");
        }
        if (in.readableBytes() < totlen) {
            return;
        }
        ByteBuf frame = in.readSlice((int) totlen);
        try {
            out.add(BusCodec.decode(frame));
        } catch (MalformedBusMessageException e) {
            LOG.warn("Dropping an invalid cluster bus message from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
        }
    }
}
