package io.rookery.protocol.cluster.bus;

/**
 * One gossip section of a PING, PONG or MEET ({@code clusterMsgDataGossip}, 104 bytes): what the
 * sender knows of another node. {@code pingSent} and {@code pongReceived} are Unix seconds as Redis
 * sends them (0 when none is pending / never).
 */
public record GossipEntry(String nodeName, long pingSent, long pongReceived, String ip, int port, int cport, int flags,
        int pport) {
}
