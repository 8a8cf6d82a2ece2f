package io.rookery.sentinel;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A monitored primary under its configured name, with what hangs off it: the replicas found in its
 * INFO, the other sentinels met through hello messages, the per-primary settings and the state of a
 * failover of it.
 */
final class Master extends Instance {

    /** The failover state machine, in Redis Sentinel's order and names. */
    enum FailoverState {
        NONE("none"), WAIT_START("wait_start"), SELECT_SLAVE("select_slave"), SEND_SLAVEOF_NOONE("send_slaveof_noone"),
        WAIT_PROMOTION("wait_promotion"), RECONF_SLAVES("reconf_slaves"), UPDATE_CONFIG("update_config");

        final String wireName;

        FailoverState(String wireName) {
            this.wireName = wireName;
        }
    }

    /** Replicas by "ip:port". */
    Map<String, Instance> replicas = new LinkedHashMap<>();
    /** Other sentinels by run id. */
    Map<String, Instance> sentinels = new LinkedHashMap<>();
    int quorum;
    int parallelSyncs = 1;
    String authPass;
    String authUser;
    long configEpoch;
    long masterRebootDownAfterPeriod;
    long masterRebootSince;
    /** Commands renamed on this primary and its replicas, by lower-cased original name. */
    final Map<String, String> renamedCommands = new TreeMap<>();
    String notificationScript;
    String clientReconfigScript;

    long failoverEpoch;
    FailoverState failoverState = FailoverState.NONE;
    long failoverStateChangedAt;
    long failoverStartedAt;
    long failoverTimeout;
    long failoverDelayLogged;
    Instance promoted;

    Master(String name, InstanceAddress addr, int quorum, long downAfterPeriod, long failoverTimeout, long now) {
        super(Kind.MASTER, name, addr, null, downAfterPeriod, now);
        this.quorum = quorum;
        this.failoverTimeout = failoverTimeout;
    }

    /** The name to send for {@code command} to this primary or its replicas (rename-command). */
    String command(String command) {
        String renamed = renamedCommands.get(command.toLowerCase(Locale.ROOT));
        return renamed != null ? renamed : command;
    }

    /**
     * The address clients should use now: the promoted replica's once the failover has reached the
     * point where it acknowledged the switch, else the configured one.
     */
    InstanceAddress currentAddress() {
        if (is(Flag.FAILOVER_IN_PROGRESS) && promoted != null
                && failoverState.ordinal() >= FailoverState.RECONF_SLAVES.ordinal()) {
            return promoted.addr;
        }
        return addr;
    }

    void propagateDownAfterPeriod() {
        for (Instance i : replicas.values()) {
            i.downAfterPeriod = downAfterPeriod;
        }
        for (Instance i : sentinels.values()) {
            i.downAfterPeriod = downAfterPeriod;
        }
    }
}
