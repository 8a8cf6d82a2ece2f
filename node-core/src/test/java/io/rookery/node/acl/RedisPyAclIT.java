package io.rookery.node.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.rookery.node.support.RedisPy;
import io.rookery.node.support.SharedNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-py with an ACL user, through Debian's python3-redis run as a child process: the admin creates
 * a user limited to {@code app:*} keys with redis-py's acl_setuser, the application connects with
 * username/password, works on its keys, gets redis-py's NoPermissionError elsewhere, and the admin
 * reads the refusal back with acl_log.
 */
class RedisPyAclIT {
    @RegisterExtension
    static final SharedNode node = new SharedNode();

    private static final String PROGRAM = String.join("\n",
            "import sys, redis",
            "port = int(sys.argv[1])",
            "admin = redis.Redis(host='127.0.0.1', port=port, socket_timeout=5, decode_responses=True)",
            "admin.acl_log_reset()",
            "assert admin.acl_setuser('pyapp', enabled=True, passwords=['+s3cret'], keys=['app:*'],",
            "                         commands=['+get', '+set', '+client', '+acl|whoami'], reset=True)",
            "app = redis.Redis(host='127.0.0.1', port=port, username='pyapp', password='s3cret', socket_timeout=5,",
            "                  decode_responses=True)",
            "assert app.acl_whoami() == 'pyapp'",
            "assert app.set('app:1', 'v')",
            "assert app.get('app:1') == 'v'",
            "try:",
            "    app.get('other')",
            "    raise SystemExit('expected NOPERM')",
            "except redis.exceptions.NoPermissionError as e:",
            "    assert 'keys used as arguments' in str(e), str(e)",
            "try:",
            "    redis.Redis(host='127.0.0.1', port=port, username='pyapp', password='wrong', socket_timeout=5).ping()",
            "    raise SystemExit('expected an authentication error')",
            "except redis.exceptions.ResponseError as e:",
            "    assert str(e).startswith('WRONGPASS'), str(e)",
            "user = admin.acl_getuser('pyapp')",
            "assert 'app:*' in str(user['keys']), user",
            "log = admin.acl_log()",
            "assert log[0]['reason'] == 'auth' and log[0]['username'] == 'pyapp', log",
            "assert any(e['reason'] == 'key' and e['object'] == 'other' for e in log), log",
            "print('ok')",
            "");

    @Test
    void redisPyConnectsAsAnAclUserAndIsHeldToItsKeys() throws IOException, InterruptedException {
        assertThat(RedisPy.run(60, "-c", PROGRAM, Integer.toString(node.port()))).isEqualTo("ok");
    }
}
