package io.rookery.node.acl;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One ACL user other than "default": enabled or not, its passwords (as SHA-256 hex, as Redis keeps
 * them) or nopass, and its permissions. Rookery's ACL is all-or-nothing per dimension: every
 * command or none, every key or none, every channel or none.
 */
public final class AclUser {
    final String name;
    boolean enabled;
    boolean nopass;
    final Set<String> passwordHashes = new LinkedHashSet<>();
    boolean allCommands;
    boolean allKeys;
    boolean allChannels;

    AclUser(String name) {
        this.name = name;
    }

    AclUser copy() {
        AclUser u = new AclUser(name);
        u.enabled = enabled;
        u.nopass = nopass;
        u.passwordHashes.addAll(passwordHashes);
        u.allCommands = allCommands;
        u.allKeys = allKeys;
        u.allChannels = allChannels;
        return u;
    }

    public String name() {
        return name;
    }

    public boolean allCommands() {
        return allCommands;
    }

    public boolean allKeys() {
        return allKeys;
    }

    public boolean allChannels() {
        return allChannels;
    }

    /** The user as ACL LIST shows it: {@code user <name> on|off [nopass] [#hash ...] [~*] &*|resetchannels +@all|-@all}. */
    String describe() {
        StringBuilder sb = new StringBuilder("user ").append(name).append(enabled ? " on" : " off");
        if (nopass) {
            sb.append(" nopass");
        }
        for (String h : passwordHashes) {
            sb.append(" #").append(h);
        }
        if (allKeys) {
            sb.append(" ~*");
        }
        sb.append(allChannels ? " &*" : " resetchannels");
        sb.append(allCommands ? " +@all" : " -@all");
        return sb.toString();
    }
}
