package io.rookery.node.command;

import io.rookery.protocol.RespWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Longest common subsequence by dynamic programming, as Redis's lcsCommand: the table is filled
 * bottom-up, then walked back from the end collecting the subsequence and, for IDX, the matching
 * ranges (from the last match to the first), each [start, end] in both strings.
 */
final class Lcs {
    private Lcs() {
    }

    static void reply(RespWriter r, byte[] a, byte[] b, boolean lenOnly, boolean idx, boolean withLen, long minMatch) {
        int n = a.length;
        int m = b.length;
        int[] table = new int[(n + 1) * (m + 1)];
        int w = m + 1;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                if (a[i - 1] == b[j - 1]) {
                    table[i * w + j] = table[(i - 1) * w + j - 1] + 1;
                } else {
                    table[i * w + j] = Math.max(table[(i - 1) * w + j], table[i * w + j - 1]);
                }
            }
        }
        int length = table[n * w + m];
        if (lenOnly) {
            r.integer(length);
            return;
        }
        byte[] result = new byte[length];
        int pos = length;
        List<long[]> matches = new ArrayList<>();
        final int none = n; // "no range open", as Redis marks it with the length of a
        int aStart = none, aEnd = 0, bStart = 0, bEnd = 0;
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[--pos] = a[i - 1];
                if (aStart == none) {
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                i--;
                j--;
            } else {
                if (table[(i - 1) * w + j] > table[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != none) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1;
                if (minMatch == 0 || matchLen >= minMatch) {
                    matches.add(new long[]{aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = none;
            }
        }
        if (!idx) {
            r.bulk(result);
            return;
        }
        r.map(2);
        r.bulk("matches");
        r.array(matches.size());
        for (long[] mt : matches) {
            r.array(withLen ? 3 : 2);
            r.array(2);
            r.integer(mt[0]);
            r.integer(mt[1]);
            r.array(2);
            r.integer(mt[2]);
            r.integer(mt[3]);
            if (withLen) {
                r.integer(mt[4]);
            }
        }
        r.bulk("len");
        r.integer(length);
    }
}
