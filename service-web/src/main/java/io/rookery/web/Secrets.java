package io.rookery.web;

import java.util.Locale;

/**
 * Which named values are secrets, and how they are shown: a password, auth string or token is shown
 * as {@value #MASK} wherever the HTTP side, a log line or a metric would otherwise carry it.
 *
 * <p>A name is a secret when its last segment (after the last {@code .}, so property paths work too)
 * ends with {@code pass}, {@code password}, {@code auth}, {@code token}, {@code secret} or
 * {@code credentials}: Redis's {@code requirepass}, {@code masterauth}, {@code tls-key-file-pass},
 * the sentinel's {@code auth-pass} and {@code sentinel-pass}, our {@code admin-token}. Names such as
 * {@code masteruser} or {@code auth-user} are not secrets. The rule is by name, so parameters added
 * later are covered without a list to keep up to date.
 */
public final class Secrets {
    /** What a set secret is shown as; an unset (empty) one stays empty, so "not set" stays visible. */
    public static final String MASK = "******";

    private static final String[] SECRET_ENDINGS = {"pass", "password", "auth", "token", "secret", "credentials"};

    private Secrets() {
    }

    public static boolean isSecret(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        for (String ending : SECRET_ENDINGS) {
            if (last.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    /** {@code value} as it may be shown under {@code name}. */
    public static String shown(String name, String value) {
        return value == null || value.isEmpty() || !isSecret(name) ? value : MASK;
    }
}
