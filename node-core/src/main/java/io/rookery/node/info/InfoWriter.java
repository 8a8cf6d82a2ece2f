package io.rookery.node.info;

/** Accumulates "field:value" lines with CRLF endings, as INFO prints them. */
public final class InfoWriter {
    private final StringBuilder sb = new StringBuilder(4096);

    public InfoWriter field(String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    void header(String title) {
        sb.append("# ").append(title).append("\r\n");
    }

    void blank() {
        sb.append("\r\n");
    }

    int length() {
        return sb.length();
    }

    void truncate(int length) {
        sb.setLength(length);
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /** Bytes in Redis's human form: "1.50M", "512B", "2.00G". */
    public static String human(long bytes) {
        double b = bytes;
        if (b < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        int i = -1;
        while (b >= 1024 && i < units.length - 1) {
            b /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f%s", b, units[i]);
    }
}
