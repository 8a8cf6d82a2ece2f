package io.rookery.admin.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/** INFO and CLUSTER INFO replies: {@code # Section} headers and {@code field:value} lines. */
public final class InfoText {
    private InfoText() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }
}
