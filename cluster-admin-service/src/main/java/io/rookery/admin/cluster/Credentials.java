package io.rookery.admin.cluster;

import io.rookery.web.Secrets;

/**
 * How the admin service authenticates to a cluster's nodes: none, a password (AUTH password, Redis's
 * requirepass), or an ACL user and password (AUTH user password). The same credentials go into MIGRATE
 * as AUTH or AUTH2, as redis-cli does. {@link #toString} never shows the password.
 */
public record Credentials(String user, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    public Credentials {
        user = user == null || user.isEmpty() ? null : user;
        password = password == null || password.isEmpty() ? null : password;
    }

    public boolean present() {
        return password != null;
    }

    /** The password as it may be shown (masked when set, empty when not). */
    public String maskedPassword() {
        return Secrets.shown("password", password == null ? "" : password);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=" + maskedPassword() + "]";
    }
}
