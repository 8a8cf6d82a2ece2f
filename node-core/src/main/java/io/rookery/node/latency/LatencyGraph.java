package io.rookery.node.latency;

import java.util.List;

/**
 * LATENCY GRAPH's text: a header with the event's high, low and all-time high, a rule of 80 dashes,
 * then an ASCII sparkline of the samples four rows high (characters {@code _o#}, {@code |} below a
 * column's top) with each column labelled vertically by how long ago its sample was taken
 * ("12s", "5m", "3h", "2d"). Columns wrap every 80 samples, as Redis draws them.
 */
public final class LatencyGraph {
    private static final int COLUMNS = 80;
    private static final int ROWS = 4;
    private static final String FILL = "_o#";

    private LatencyGraph() {
    }

    public static String render(String event, LatencySeries series, long nowSeconds) {
        List<LatencySeries.Sample> samples = series.samples();
        long min = samples.stream().mapToLong(LatencySeries.Sample::millis).min().orElse(0);
        long max = samples.stream().mapToLong(LatencySeries.Sample::millis).max().orElse(0);
        StringBuilder out = new StringBuilder();
        out.append(event).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(series.max()).append(" ms)\n");
        out.append("-".repeat(COLUMNS)).append('\n');
        String[] labels = new String[samples.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = ago(nowSeconds - samples.get(i).timeSeconds());
        }
        for (int from = 0; from < samples.size(); from += COLUMNS) {
            if (from != 0) {
                out.append('\n');
            }
            int to = Math.min(samples.size(), from + COLUMNS);
            renderRange(out, samples.subList(from, to), java.util.Arrays.copyOfRange(labels, from, to), min, max);
        }
        return out.toString();
    }

    /** The rows of one band of columns: the bars from the top row down, then one blank row and the labels. */
    private static void renderRange(StringBuilder out, List<LatencySeries.Sample> samples, String[] labels, long min, long max) {
        double range = max - min == 0 ? 1 : max - min;
        int steps = FILL.length() * ROWS;
        for (int row = 0; row < ROWS; row++) {
            StringBuilder line = new StringBuilder();
            for (LatencySeries.Sample s : samples) {
                int step = (int) ((s.millis() - min) * steps / range);
                step = Math.max(0, Math.min(steps - 1, step));
                int index = step - (ROWS - row - 1) * FILL.length();
                line.append(index < 0 ? ' ' : index < FILL.length() ? FILL.charAt(index) : '|');
            }
            out.append(line).append('\n');
        }
        out.append(" ".repeat(samples.size())).append('\n');
        int longest = 0;
        for (String l : labels) {
            longest = Math.max(longest, l.length());
        }
        for (int k = 0; k < longest; k++) {
            StringBuilder line = new StringBuilder();
            for (String l : labels) {
                line.append(k < l.length() ? l.charAt(k) : ' ');
            }
            out.append(line).append('\n');
        }
    }

    private static String ago(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
