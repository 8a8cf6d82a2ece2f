package io.rookery.node.config;

/**
 * One class's {@code client-output-buffer-limit}: close the client when its pending output exceeds
 * {@code hardBytes}, or stays above {@code softBytes} for {@code softSeconds}. Zero disables a limit.
 */
public record OutputBufferLimit(long hardBytes, long softBytes, long softSeconds) {
    public static final OutputBufferLimit NONE = new OutputBufferLimit(0, 0, 0);

    public boolean unlimited() {
        return hardBytes == 0 && softBytes == 0;
    }
}
