package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.SharedNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-py's Lock (released by a Lua script) and register_script (EVALSHA, EVAL on NOSCRIPT),
 * through Debian's python3-redis run as a child process.
 */
class RedisPyScriptsIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static final String PROGRAM = String.join("\n",
            "import sys, redis",
            "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]), socket_timeout=5)",
            "lock = r.lock('py:lock', timeout=10)",
            "assert lock.acquire(blocking=False)",
            "assert not r.lock('py:lock', timeout=10).acquire(blocking=False)",
            "lock.extend(5)",
            "lock.release()",
            "assert r.get('py:lock') is None",
            "incr = r.register_script(\"return redis.call('incrby', KEYS[1], ARGV[1])\")",
            "r.script_flush()",
            "assert incr(keys=['py:n'], args=[2]) == 2",
            "assert incr(keys=['py:n'], args=[3]) == 5",
            "print('ok')",
            "");

    /** Debian's interpreter, where python3-redis installs (a pyenv shim first on PATH has no redis module). */
    private static String python() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    @Test
    void redisPyLockAndRegisteredScriptsWork() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(python(), "-c", PROGRAM, Integer.toString(node.port())).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("this test needs python3 with Debian's python3-redis (apt-get install -y python3-redis)", e);
        }
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("python3 finished").isTrue();
        assertThat(out).as("python3 output").doesNotContain("No module named 'redis'");
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.trim()).isEqualTo("ok");
    }
}
