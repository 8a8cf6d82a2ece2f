package io.rookery.node.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GlobTest {

    private static boolean m(String pattern, String s) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), s.getBytes(StandardCharsets.ISO_8859_1), false);
    }

    @Test
    void matchesRedisGlobSyntax() {
        assertThat(m("*", "")).isTrue();
        assertThat(m("h?llo", "hello")).isTrue();
        assertThat(m("h*llo", "heeeello")).isTrue();
        assertThat(m("h[ae]llo", "hallo")).isTrue();
        assertThat(m("h[ae]llo", "hillo")).isFalse();
        assertThat(m("h[^e]llo", "hallo")).isTrue();
        assertThat(m("h[^e]llo", "hello")).isFalse();
        assertThat(m("h[a-b]llo", "hbllo")).isTrue();
        assertThat(m("h[b-a]llo", "hallo")).isTrue();
        assertThat(m("h\\*llo", "h*llo")).isTrue();
        assertThat(m("h\\*llo", "hello")).isFalse();
        assertThat(m("a*b*c", "axxbyyc")).isTrue();
        assertThat(m("a*b*c", "axxbyy")).isFalse();
        assertThat(m("abc", "ABC")).isFalse();
        assertThat(Glob.matches("MAXMEMORY*", "maxmemory-policy")).isTrue();
    }

    @Test
    void pathologicalPatternsTerminate() {
        assertThat(m("a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(30))).isFalse();
        // Redis's keyspace regression: exponential without the early exit of stringmatchlen
        assertThat(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(40))).isFalse();
        assertThat(m("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(40) + "b")).isTrue();
        assertThat(m("*a*b*c", "xaybzc")).isTrue();
        assertThat(m("*a*b*c*", "xaybz")).isFalse();
    }
}
