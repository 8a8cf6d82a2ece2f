package io.rookery.sentinel;

import java.util.List;

/**
 * A monitored primary as this sentinel sees it, for the REST API.
 *
 * @param name              the configured name
 * @param ip                the primary's current address (the promoted replica's once a failover switched)
 * @param port              its port
 * @param runId             its run id, empty until known
 * @param status            "ok", "sdown" or "odown", as in INFO
 * @param flags             Redis Sentinel's flag list ("master,s_down,o_down,failover_in_progress")
 * @param quorum            sentinels needed to agree it is down
 * @param configEpoch       the epoch of its current configuration
 * @param currentEpoch      this sentinel's current epoch
 * @param failoverState     the failover state machine's state ("none" when idle)
 * @param leader            whom this sentinel voted leader (null before any vote)
 * @param downAfterMillis   down-after-milliseconds
 * @param failoverTimeout   failover-timeout
 * @param parallelSyncs     parallel-syncs
 * @param replicas          its replicas
 * @param sentinels         the other sentinels watching it
 */
public record MasterView(String name, String ip, int port, String runId, String status, String flags, int quorum,
                         long configEpoch, long currentEpoch, String failoverState, String leader, long downAfterMillis,
                         long failoverTimeout, int parallelSyncs, List<InstanceView> replicas,
                         List<InstanceView> sentinels) {

    static MasterView of(Sentinel s, Master m) {
        String status = m.is(Instance.Flag.O_DOWN) ? "odown" : m.is(Instance.Flag.S_DOWN) ? "sdown" : "ok";
        InstanceAddress a = m.currentAddress();
        return new MasterView(m.name, a.announced(s.announceHostnames), a.port(), m.runId == null ? "" : m.runId, status,
                m.flagList(), m.quorum, m.configEpoch, s.currentEpoch, m.failoverState.wireName, m.leader,
                m.downAfterPeriod, m.failoverTimeout, m.parallelSyncs,
                m.replicas.values().stream().map(r -> InstanceView.of(s, r)).toList(),
                m.sentinels.values().stream().map(r -> InstanceView.of(s, r)).toList());
    }
}
