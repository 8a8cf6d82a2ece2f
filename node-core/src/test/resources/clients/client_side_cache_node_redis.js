// node-redis (v5) client-side caching over RESP3: the client caches GET replies and the server's
// invalidation pushes (CLIENT TRACKING) evict them when another client writes the key, deletes it,
// or the database is flushed. Arguments: port. Prints "ok".
'use strict';
const { createClient, BasicClientSideCache } = require('redis');

async function main() {
  const port = Number(process.argv[2]);
  const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: 'LRU' });
  const cached = createClient({ socket: { host: '127.0.0.1', port }, RESP: 3, clientSideCache: cache });
  const writer = createClient({ socket: { host: '127.0.0.1', port } });
  for (const c of [cached, writer]) {
    c.on('error', (e) => { console.error('client error', e); process.exit(1); });
    await c.connect();
  }
  const expect = (what, got, want) => { if (got !== want) throw new Error(`${what}: got ${got}, want ${want}`); };
  const until = async (what, f) => {
    for (let i = 0; i < 200; i++) { if (await f()) return; await new Promise((r) => setTimeout(r, 10)); }
    throw new Error('gave up waiting for ' + what);
  };

  await writer.set('csc:a', '1');
  expect('first read', await cached.get('csc:a'), '1');
  expect('second read', await cached.get('csc:a'), '1');
  expect('hits after a repeated read', cache.stats().hitCount, 1);

  await writer.set('csc:a', '2'); // the server pushes an invalidation of csc:a
  await until('the new value', async () => (await cached.get('csc:a')) === '2');
  await writer.del('csc:a');
  await until('the deletion', async () => (await cached.get('csc:a')) === null);

  await writer.set('csc:b', 'x');
  expect('read b', await cached.get('csc:b'), 'x');
  await writer.flushAll(); // a flush invalidates everything (a null invalidation)
  await until('the flush', async () => (await cached.get('csc:b')) === null);
  if (cache.stats().missCount < 4) throw new Error('misses ' + JSON.stringify(cache.stats()));
  await cached.quit();
  await writer.quit();
  console.log('ok');
}
main().catch((e) => { console.error(e); process.exit(1); });
