package io.rookery.node;

import io.rookery.node.client.Client;
import io.rookery.node.config.NodeConfig;
import io.rookery.node.config.OutputBufferLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-output-buffer-limit: closes a client whose pending output passed its class's hard limit, or
 * stayed over the soft limit for the soft seconds, as Redis does.
 */
final class OutputLimits {
    private static final Logger LOG = LoggerFactory.getLogger(OutputLimits.class);
    private final NodeConfig config;

    OutputLimits(NodeConfig config) {
        this.config = config;
    }

    void check(Client client) {
        OutputBufferLimit limit = config.outputLimit(client.clientClass());
        if (limit.unlimited() || client.closing) {
            return;
        }
        long pending = client.connection().pendingOutputBytes();
        long now = System.currentTimeMillis();
        boolean hard = limit.hardBytes() > 0 && pending >= limit.hardBytes();
        boolean soft = false;
        if (limit.softBytes() > 0 && pending >= limit.softBytes()) {
            if (client.softLimitSince == 0) {
                client.softLimitSince = now;
            } else if (now - client.softLimitSince >= limit.softSeconds() * 1000) {
                soft = true;
            }
        } else {
            client.softLimitSince = 0;
        }
        if (hard || soft) {
            LOG.warn("Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                    client.id(), client.connection().remoteAddress());
            client.connection().close();
        }
    }
}
