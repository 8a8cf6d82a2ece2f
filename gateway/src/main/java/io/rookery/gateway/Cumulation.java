package io.rookery.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Input gathered across reads: the first read's buffer is used as it is (no copy in the common case
 * of whole frames); only when a frame is cut does a growing buffer take the rest and what follows.
 */
final class Cumulation {
    private Cumulation() {
    }

    /** {@code in} appended to {@code input} (which may be null); {@code in} is consumed. */
    static ByteBuf append(ByteBufAllocator alloc, ByteBuf input, ByteBuf in) {
        if (input == null) {
            return in;
        }
        if (input.refCnt() == 1 && input.maxWritableBytes() >= in.readableBytes() && input.isWritable(in.readableBytes())) {
            input.writeBytes(in);
            in.release();
            return input;
        }
        int readable = input.readableBytes();
        ByteBuf grown = alloc.buffer(Math.max(readable * 2, readable + in.readableBytes()) + 256);
        grown.writeBytes(input).writeBytes(in);
        input.release();
        in.release();
        return grown;
    }

    /** Null once everything was read (the buffer is released), else {@code input}, read bytes dropped when many. */
    static ByteBuf compact(ByteBuf input) {
        if (input == null) {
            return null;
        }
        if (!input.isReadable()) {
            input.release();
            return null;
        }
        if (input.readerIndex() > 64 * 1024) {
            input.discardSomeReadBytes();
        }
        return input;
    }
}
