"""redis-py stream consumers in a group, as an application runs them (Debian python3-redis).

One producer adds 400 jobs while two consumers read them with XREADGROUP and acknowledge each after
recording it in their own ledger file; consumer bob dies (os._exit) holding a batch it read but never
processed; consumer alice then recovers bob's pending entries with XAUTOCLAIM. Every job must be
processed exactly once, nothing may stay pending. Arguments: port, a scratch directory. Prints "ok N".
"""
import sys, os, time, multiprocessing, redis

port = int(sys.argv[1])
tmp = sys.argv[2]
N = 400

def client():
    return redis.Redis(host='127.0.0.1', port=port, socket_timeout=10, decode_responses=True)

def producer():
    r = client()
    with open(os.path.join(tmp, 'produced'), 'w') as out:
        for i in range(N):
            out.write(r.xadd('jobs', {'n': str(i)}) + '\n')
            if i % 50 == 0:
                time.sleep(0.02)

def consumer(name, crash_after_batches):
    r = client()
    batches = 0
    idle = 0
    with open(os.path.join(tmp, 'done-' + name), 'a') as ledger:
        while idle < 20:
            reply = r.xreadgroup('workers', name, {'jobs': '>'}, count=10, block=100)
            if not reply:
                idle += 1
                continue
            idle = 0
            batches += 1
            if batches == crash_after_batches:
                os._exit(9)  # dies holding a batch it read but never processed or acknowledged
            for entry_id, fields in reply[0][1]:
                ledger.write(entry_id + '\n')
                ledger.flush()
                r.xack('jobs', 'workers', entry_id)

def recover(name):
    """XAUTOCLAIM what a dead consumer left pending, process it, acknowledge it."""
    r = client()
    start = '0-0'
    with open(os.path.join(tmp, 'done-' + name), 'a') as ledger:
        while True:
            start, claimed, deleted = r.xautoclaim('jobs', 'workers', name, min_idle_time=200, start_id=start, count=25)
            for entry_id, fields in claimed:
                ledger.write(entry_id + '\n')
                r.xack('jobs', 'workers', entry_id)
            if start == '0-0':
                break

r = client()
r.delete('jobs')
r.xgroup_create('jobs', 'workers', id='0', mkstream=True)
procs = [multiprocessing.Process(target=producer),
         multiprocessing.Process(target=consumer, args=('alice', 0)),
         multiprocessing.Process(target=consumer, args=('bob', 3))]
for p in procs:
    p.start()
for p in procs:
    p.join(120)
assert procs[0].exitcode == 0 and procs[1].exitcode == 0, [p.exitcode for p in procs]
assert procs[2].exitcode == 9, procs[2].exitcode
pending = r.xpending('jobs', 'workers')
assert pending['pending'] > 0 and {c['name'] for c in pending['consumers']} == {'bob'}, pending
time.sleep(0.3)
recover('alice')

produced = open(os.path.join(tmp, 'produced')).read().split()
done = []
for name in ('alice', 'bob'):
    path = os.path.join(tmp, 'done-' + name)
    if os.path.exists(path):
        done += open(path).read().split()
assert len(produced) == N
assert len(done) == len(set(done)), 'processed twice: %d of %d' % (len(done) - len(set(done)), len(done))
assert set(done) == set(produced), 'lost: %s' % sorted(set(produced) - set(done))[:5]
assert r.xpending('jobs', 'workers')['pending'] == 0
group = r.xinfo_groups('jobs')[0]
assert group['pending'] == 0 and group['last-delivered-id'] == produced[-1], group
print('ok', len(done))
