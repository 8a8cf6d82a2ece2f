package io.rookery.node.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redis's sorted-set skiplist (t_zset.c): nodes ordered by (score, member), each level keeping the
 * span it jumps so ranks come in O(log n). Ranks here are 0-based.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;

    static final class Node {
        final byte[] ele;
        double score;
        Node backward;
        final Node[] forward;
        final int[] span;

        Node(int level, double score, byte[] ele) {
            this.ele = ele;
            this.score = score;
            this.forward = new Node[level];
            this.span = new int[level];
        }
    }

    final Node header = new Node(MAX_LEVEL, 0, null);
    Node tail;
    int length;
    int level = 1;
    // scratch for insert/delete, reused: only the command thread touches a skiplist
    private final Node[] update = new Node[MAX_LEVEL];
    private final int[] rank = new int[MAX_LEVEL];

    static int compare(double s1, byte[] e1, double s2, byte[] e2) {
        int c = Double.compare(s1, s2);
        if (s1 == s2) {
            c = 0; // -0.0 and 0.0 are equal scores
        }
        return c != 0 ? c : Arrays.compareUnsigned(e1, e2);
    }

    private static int randomLevel() {
        int lvl = 1;
        ThreadLocalRandom r = ThreadLocalRandom.current();
        while (lvl < MAX_LEVEL && (r.nextInt() & 0xFFFF) < 0xFFFF / 4) {
            lvl++;
        }
        return lvl;
    }

    Node insert(double score, byte[] ele) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].ele, score, ele) < 0) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int lvl = randomLevel();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = lvl;
        }
        x = new Node(lvl, score, ele);
        for (int i = 0; i < lvl; i++) {
            x.forward[i] = update[i].forward[i];
            update[i].forward[i] = x;
            x.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = lvl; i < level; i++) {
            update[i].span[i]++;
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.forward[0] != null) {
            x.forward[0].backward = x;
        } else {
            tail = x;
        }
        length++;
        return x;
    }

    private void unlink(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i] -= 1;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    boolean delete(double score, byte[] ele) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].ele, score, ele) < 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        x = x.forward[0];
        if (x != null && compare(x.score, x.ele, score, ele) == 0) {
            unlink(x, update);
            return true;
        }
        return false;
    }

    /** 0-based rank of (score, ele), or -1. */
    int rank(double score, byte[] ele) {
        int rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(x.forward[i].score, x.forward[i].ele, score, ele) <= 0) {
                rank += x.span[i];
                x = x.forward[i];
            }
            if (x.ele != null && compare(x.score, x.ele, score, ele) == 0) {
                return rank - 1;
            }
        }
        return -1;
    }

    /** The node at 0-based {@code rank}, or null. */
    Node at(int rank) {
        if (rank < 0 || rank >= length) {
            return null;
        }
        int target = rank + 1;
        int traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= target) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == target) {
                return x;
            }
        }
        return null;
    }

    /** How many nodes score below {@code bound} (at most {@code bound} when {@code inclusive}). */
    int countScoreBefore(double bound, boolean inclusive) {
        int r = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node next;
            while ((next = x.forward[i]) != null && (inclusive ? next.score <= bound : next.score < bound)) {
                r += x.span[i];
                x = next;
            }
        }
        return r;
    }

    /** How many nodes come before the first node for which {@code inRange} holds (nodes ordered). */
    int countBefore(java.util.function.Predicate<Node> beforeRange) {
        int rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && beforeRange.test(x.forward[i])) {
                rank += x.span[i];
                x = x.forward[i];
            }
        }
        return rank;
    }
}
