package io.rookery.gateway;

/** Something that buffers output during a loop's turn and writes it once at the end of the turn. */
interface Flushable {
    void flush();
}
