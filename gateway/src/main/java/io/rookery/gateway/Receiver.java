package io.rookery.gateway;

import io.netty.buffer.ByteBuf;

/**
 * Takes the answer to one backend request: either a complete reply frame, {@code buf[from, to)}, valid
 * only during the call (copy what must outlive it), or an error text the gateway made up (the backend
 * was unreachable, timed out or went away) without the leading '-'.
 */
public interface Receiver {

    void reply(ByteBuf buf, int from, int to);

    void failed(String error);

    /** Drops whatever comes: for the gateway's own handshake commands. */
    Receiver DISCARD = new Receiver() {
        @Override
        public void reply(ByteBuf buf, int from, int to) {
        }

        @Override
        public void failed(String error) {
        }
    };
}
