package io.rookery.node;

import io.netty.buffer.ByteBufAllocator;
import io.rookery.node.client.Client;
import io.rookery.node.client.ClientConnection;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.dispatch.Dispatcher;
import io.rookery.node.eviction.Evictor;
import io.rookery.node.server.ServerContext;
import io.rookery.node.tracking.KeyTracking;
import io.rookery.protocol.ProtocolLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the network layer reaches of the node: admission, the gate, group commit, invalidations sent
 * ahead of replies, output limits, room for big arguments and traffic counters, each delegated to the
 * part that owns it.
 */
final class NodeServerContext implements ServerContext {
    private static final Logger LOG = LoggerFactory.getLogger("io.rookery.node.RookeryNode"); // the node's log, as before the split

    private final NodeConfig config;
    private final ClientAdmission admission;
    private final Dispatcher dispatcher;
    private final AofGroupCommit groupCommit;
    private final OutputLimits outputLimits;
    private final NodeStats stats;
    private final Evictor evictor;
    private final KeyTracking tracking;
    private volatile ProtocolLimits limits;

    NodeServerContext(NodeConfig config, ClientAdmission admission, Dispatcher dispatcher, AofGroupCommit groupCommit,
                      OutputLimits outputLimits, NodeStats stats, Evictor evictor, KeyTracking tracking) {
        this.config = config;
        this.admission = admission;
        this.dispatcher = dispatcher;
        this.groupCommit = groupCommit;
        this.outputLimits = outputLimits;
        this.stats = stats;
        this.evictor = evictor;
        this.tracking = tracking;
        this.limits = ProtocolLimits.defaults().withMaxBulkLength(config.protoMaxBulkLen);
        config.onChange("proto-max-bulk-len", c -> limits = ProtocolLimits.defaults().withMaxBulkLength(c.protoMaxBulkLen));
    }

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public ProtocolLimits protocolLimits() {
        return limits;
    }

    @Override
    public String admit(ClientConnection connection) {
        return admission.admit(connection);
    }

    @Override
    public Client connected(ClientConnection connection, ByteBufAllocator allocator) {
        return admission.connected(connection, allocator);
    }

    @Override
    public void dispatch(Client client, byte[][] args) {
        dispatcher.dispatch(client, args);
    }

    @Override
    public void disconnected(Client client) {
        admission.disconnected(client);
        groupCommit.forget(client.connection());
    }

    @Override
    public void checkOutputLimits(Client client) {
        outputLimits.check(client);
    }

    @Override
    public boolean deferFlush(ClientConnection connection) {
        return groupCommit.defer(connection);
    }

    @Override
    public boolean beforeReplies() {
        if (!groupCommit.beforeReplies()) {
            return false;
        }
        tracking.sendPending(); // invalidations leave ahead of the replies to the writes that caused them
        return true;
    }

    @Override
    public void traffic(long inBytes, long outBytes) {
        stats.netInputBytes += inBytes;
        stats.netOutputBytes += outBytes;
    }

    @Override
    public boolean admitsBulk(long length) {
        return evictor.makeRoom(length);
    }

    @Override
    public void log(String message) {
        LOG.info(message);
    }
}
