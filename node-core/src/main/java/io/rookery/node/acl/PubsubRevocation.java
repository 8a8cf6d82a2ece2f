package io.rookery.node.acl;

import io.rookery.node.client.Client;
import io.rookery.node.keyspace.BinaryKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Redis's ACLKillPubsubClientsIfNeeded: when ACL SETUSER takes channels away from a user, its
 * subscribed clients listening to a channel or pattern the new rules no longer allow are disconnected.
 * Nothing is done when a new selector allows every channel or the new channel list keeps every old one.
 */
final class PubsubRevocation {
    private PubsubRevocation() {
    }

    static void revoked(AclUser original, AclUser updated, Collection<Client> clients, List<Client> out) {
        List<String> upcoming = new ArrayList<>();
        for (AclSelector s : updated.selectors) {
            if (s.allChannels) {
                return;
            }
            upcoming.addAll(s.channels);
        }
        boolean superset = true;
        for (AclSelector s : original.selectors) {
            if (s.allChannels || !upcoming.containsAll(s.channels)) {
                superset = false;
                break;
            }
        }
        if (superset) {
            return;
        }
        AclSelector allowed = new AclSelector();
        allowed.channels.addAll(upcoming);
        for (Client c : clients) {
            if (!c.user.equals(original.name) || !c.hasSubscriptions()) {
                continue;
            }
            Client.Subscriptions subs = c.subscriptions();
            boolean kill = false;
            for (BinaryKey p : subs.patterns) {
                kill |= !allowed.channelAllowed(p.bytes(), true);
            }
            for (BinaryKey ch : subs.channels) {
                kill |= !allowed.channelAllowed(ch.bytes(), false);
            }
            for (BinaryKey ch : subs.shardChannels) {
                kill |= !allowed.channelAllowed(ch.bytes(), false);
            }
            if (kill) {
                out.add(c);
            }
        }
    }
}
