// ioredis stream consumers in a group, as an application runs them.
// One producer adds 400 jobs while two consumers (child processes) read them with XREADGROUP and
// acknowledge each after recording it in their own ledger file; consumer bob dies (process.exit(9))
// holding a batch it read but never processed; consumer alice then recovers bob's pending entries with
// XAUTOCLAIM. Every job must be processed exactly once, nothing may stay pending.
// Arguments: port, a scratch directory. Prints "ok N".
'use strict';
const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');
const Redis = require('ioredis');

const [port, tmp, role, name, crashAfter] = process.argv.slice(2);
const N = 400;
const client = () => new Redis({ host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: 3, commandTimeout: 10000 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function producer() {
  const r = client();
  const ids = [];
  for (let i = 0; i < N; i++) {
    ids.push(await r.xadd('jobs', '*', 'n', String(i)));
    if (i % 50 === 0) await sleep(20);
  }
  fs.writeFileSync(path.join(tmp, 'produced'), ids.join('\n') + '\n');
  r.disconnect();
}

async function consumer() {
  const r = client();
  let batches = 0;
  let idle = 0;
  const ledger = path.join(tmp, 'done-' + name);
  while (idle < 20) {
    const reply = await r.xreadgroup('GROUP', 'workers', name, 'COUNT', 10, 'BLOCK', 100, 'STREAMS', 'jobs', '>');
    if (!reply) { idle++; continue; }
    idle = 0;
    batches++;
    if (batches === Number(crashAfter)) process.exit(9); // dies holding a batch it read
    for (const [id] of reply[0][1]) {
      fs.appendFileSync(ledger, id + '\n');
      await r.xack('jobs', 'workers', id);
    }
  }
  r.disconnect();
}

function run(args) {
  return new Promise((resolve) => fork(__filename, args).on('exit', (code) => resolve(code)));
}

async function main() {
  const r = client();
  await r.del('jobs');
  await r.xgroup('CREATE', 'jobs', 'workers', '0', 'MKSTREAM');
  const codes = await Promise.all([
    run([port, tmp, 'producer']),
    run([port, tmp, 'consumer', 'alice', '0']),
    run([port, tmp, 'consumer', 'bob', '3']),
  ]);
  if (codes[0] !== 0 || codes[1] !== 0 || codes[2] !== 9) throw new Error('exit codes ' + codes);
  const summary = await r.xpending('jobs', 'workers');
  if (!(summary[0] > 0) || summary[3].length !== 1 || summary[3][0][0] !== 'bob') throw new Error('pending ' + JSON.stringify(summary));
  await sleep(300);
  let start = '0-0';
  const ledger = path.join(tmp, 'done-alice');
  do {
    const [next, claimed] = await r.xautoclaim('jobs', 'workers', 'alice', 200, start, 'COUNT', 25);
    for (const [id] of claimed) {
      fs.appendFileSync(ledger, id + '\n');
      await r.xack('jobs', 'workers', id);
    }
    start = next;
  } while (start !== '0-0');

  const produced = fs.readFileSync(path.join(tmp, 'produced'), 'utf8').split('\n').filter(Boolean);
  const done = [];
  for (const who of ['alice', 'bob']) {
    const f = path.join(tmp, 'done-' + who);
    if (fs.existsSync(f)) done.push(...fs.readFileSync(f, 'utf8').split('\n').filter(Boolean));
  }
  if (produced.length !== N) throw new Error('produced ' + produced.length);
  if (new Set(done).size !== done.length) throw new Error('processed twice: ' + (done.length - new Set(done).size));
  const lost = produced.filter((id) => !done.includes(id));
  if (lost.length) throw new Error('lost ' + lost.slice(0, 5));
  const after = await r.xpending('jobs', 'workers');
  if (after[0] !== 0) throw new Error('still pending ' + JSON.stringify(after));
  r.disconnect();
  console.log('ok ' + done.length);
}

const work = role === 'producer' ? producer : role === 'consumer' ? consumer : main;
work().catch((e) => { console.error(e); process.exit(1); });
