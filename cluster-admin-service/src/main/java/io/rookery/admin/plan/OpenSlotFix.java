package io.rookery.admin.plan;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/** The steps closing one open slot, by redis-cli's clusterManagerFixOpenSlot (see {@link FixPlanner}). */
final class OpenSlotFix {
    private final List<ClusterNode> primaries;
    private final Map<String, BitSet> owned;
    private final int slot;
    private final List<SlotFix> fixes;
    private final List<String> notes;

    OpenSlotFix(ClusterTopology topology, List<ClusterNode> primaries, Map<String, BitSet> owned, int slot,
            List<SlotFix> fixes, List<String> notes) {
        this.primaries = primaries;
        this.owned = owned;
        this.slot = slot;
        this.fixes = fixes;
        this.notes = notes;
    }

    void run() {
        List<ClusterNode> owners = new ArrayList<>();
        for (ClusterNode node : primaries) {
            if (owns(node) || node.keysIn(slot) > 0) {
                owners.add(node);
            }
        }
        ClusterNode owner = owners.size() == 1 ? owners.get(0) : null;
        List<ClusterNode> migrating = new ArrayList<>();
        List<ClusterNode> importing = new ArrayList<>();
        for (ClusterNode node : primaries) {
            if (node.migrating().containsKey(slot)) {
                migrating.add(node);
            } else if (node.importing().containsKey(slot)) {
                importing.add(node);
            } else if (node != owner && node.keysIn(slot) > 0) {
                importing.add(node);
            }
        }
        String state = "open slot: migrating in " + endpoints(migrating) + ", importing in " + endpoints(importing);
        if (owner == null) {
            owner = FixPlanner.mostKeys(primaries, slot);
            if (owner == null) {
                notes.add("[ERR] Can't select a slot owner for slot " + slot + ". Impossible to fix.");
                return;
            }
            add(FixAction.SETSLOT_STABLE, owner, null, state + "; no single owner: " + owner.endpoint()
                    + " has most keys and becomes the owner");
            add(FixAction.ASSIGN, owner, null, state + "; " + owner.endpoint() + " claims the slot");
            claim(owner);
            migrating.remove(owner);
            importing.remove(owner);
        }
        if (owners.size() > 1) {
            for (ClusterNode node : owners) {
                if (node == owner) {
                    continue;
                }
                String why = state + "; " + node.endpoint() + " also claims it and gives it up to "
                        + owner.endpoint();
                add(FixAction.DELSLOTS, node, null, why);
                owned.get(node.id()).clear(slot);
                add(FixAction.SETSLOT_NODE, node, owner, why);
                add(FixAction.SETSLOT_IMPORTING, node, owner, why);
                importing.remove(node);
                importing.add(node);
                migrating.remove(node);
            }
        }
        if (migrating.size() == 1 && importing.size() == 1) {
            ClusterNode source = migrating.get(0);
            ClusterNode target = importing.get(0);
            add(FixAction.MOVE_SLOT, source, target, state + "; case 1: move the slot from " + source.endpoint()
                    + " to " + target.endpoint());
            owned.get(source.id()).clear(slot);
            claim(target);
        } else if (migrating.isEmpty() && !importing.isEmpty()) {
            String why = state + "; case 2: move all the slot's keys to its owner " + owner.endpoint();
            for (ClusterNode node : importing) {
                if (node == owner) {
                    continue;
                }
                add(FixAction.MOVE_KEYS, node, owner, why);
                add(FixAction.SETSLOT_STABLE, node, null, why);
            }
            for (ClusterNode node : primaries) {
                if (node != owner) {
                    add(FixAction.SETSLOT_NODE, node, owner, why);
                    owned.get(node.id()).clear(slot);
                }
            }
        } else if (migrating.size() == 1 && importing.size() > 1) {
            caseThree(migrating.get(0), importing, owner, state);
        } else {
            boolean closable = importing.isEmpty() && migrating.size() == 1
                    && (migrating.get(0) == owner || migrating.get(0).keysIn(slot) == 0);
            if (closable) {
                add(FixAction.SETSLOT_STABLE, migrating.get(0), null, state + "; case 4: close the slot on "
                        + migrating.get(0).endpoint());
            } else {
                unhandled(migrating, importing, owner);
            }
        }
    }

    private void caseThree(ClusterNode source, List<ClusterNode> importing, ClusterNode owner, String state) {
        String targetId = source.migrating().get(slot);
        ClusterNode target = null;
        for (ClusterNode node : importing) {
            if (node.keysIn(slot) > 0) {
                unhandled(List.of(source), importing, owner);
                return;
            }
            if (node.id().equals(targetId)) {
                target = node;
            }
        }
        if (target != null) {
            String why = state + "; case 3: move the slot from " + source.endpoint() + " to " + target.endpoint()
                    + " and close it on the other importing nodes";
            add(FixAction.MOVE_SLOT, source, target, why);
            owned.get(source.id()).clear(slot);
            claim(target);
            for (ClusterNode node : importing) {
                if (node != target) {
                    add(FixAction.SETSLOT_STABLE, node, null, why);
                }
            }
        } else {
            String why = state + "; case 3: close the slot on both migrating and importing nodes";
            add(FixAction.SETSLOT_STABLE, source, null, why);
            for (ClusterNode node : importing) {
                add(FixAction.SETSLOT_STABLE, node, null, why);
            }
        }
    }

    private void unhandled(List<ClusterNode> migrating, List<ClusterNode> importing, ClusterNode owner) {
        notes.add("[ERR] Sorry, redis-cli can't fix this slot yet (work in progress). Slot " + slot
                + " is set as migrating in " + String.join(",", endpoints(migrating)) + ", as importing in "
                + String.join(",", endpoints(importing)) + ", owner is " + owner.endpoint());
    }

    private boolean owns(ClusterNode node) {
        return owned.get(node.id()).get(slot);
    }

    /** Makes {@code node} the only owner of the slot in the working table. */
    private void claim(ClusterNode node) {
        owned.values().forEach(bits -> bits.clear(slot));
        owned.get(node.id()).set(slot);
    }

    private void add(FixAction action, ClusterNode node, ClusterNode peer, String reason) {
        fixes.add(new SlotFix(slot, action, node.id(), peer == null ? null : peer.id(), reason));
    }

    private static List<String> endpoints(List<ClusterNode> nodes) {
        return nodes.stream().map(ClusterNode::endpoint).toList();
    }
}
