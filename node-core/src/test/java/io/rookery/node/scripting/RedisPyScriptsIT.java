package io.rookery.node.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RedisPy;
import io.rookery.node.support.SharedNode;
import java.io.IOException;
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

    @Test
    void redisPyLockAndRegisteredScriptsWork() throws IOException, InterruptedException {
        assertThat(RedisPy.run(60, "-c", PROGRAM, Integer.toString(node.port()))).isEqualTo("ok");
    }
}
