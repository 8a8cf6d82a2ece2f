package io.rookery.node.acl;

import java.util.List;

/** Redis 7.0's ACL command categories, in ACL CAT's order (acl.c's ACLCommandCategories). */
public final class AclCategories {
    public static final List<String> NAMES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private AclCategories() {
    }
}
