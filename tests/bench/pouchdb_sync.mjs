// The peer for scripts/sync_bench.sh: the same record counts through PouchDB's replication.
// A PouchDB server (express-pouchdb over PouchDB's leveldb adapter, in its own node process,
// like our host) receives documents shaped like our appeal ops (same fields, same texts, about
// the same size) in bulkDocs batches of 1000; then a fresh PouchDB client in this process
// (leveldb adapter, on disk, as our WASM device is on disk) replicates from it, batch_size 1000
// (our pull limit), and is timed until replication completes. Then 1% more documents and an
// incremental replication of the same client. Counts grow like our host: the first count, then
// up to the next.
//   node tests/bench/pouchdb_sync.mjs --deps DIR --dir WORKDIR --counts 10000,100000
// prints one JSON line per count: {"records","initial_ms","incremental_ms","incremental_records",
// "write_ms","docs"}. DIR is where npm installed pouchdb, express-pouchdb and express.
//   node tests/bench/pouchdb_sync.mjs serve --deps DIR --dir WORKDIR   (the server; prints its port)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const mode = args[0] === 'serve' ? 'serve' : 'bench';
const opt = {};
for (let i = mode === 'serve' ? 1 : 0; i + 1 < args.length; i += 2) opt[args[i].replace(/^--/, '')] = args[i + 1];
if (!opt.deps || !opt.dir) {
  console.error('pouchdb_sync: --deps DIR and --dir WORKDIR are required');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(opt.deps), 'package.json'));
const PouchDB = require('pouchdb');

function serve() {
  const express = require('express');
  const prefix = path.join(opt.dir, 'server') + path.sep;
  fs.mkdirSync(prefix, { recursive: true });
  const app = express();
  app.use('/', require('express-pouchdb')(PouchDB.defaults({ prefix }),
    { mode: 'minimumForPouchDB', logPath: path.join(opt.dir, 'express-pouchdb.log') }));
  const server = app.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// An appeal op as our host stores and sends it, as a document.
const texts = ['院子门口的垃圾桶满了，好几天没人清运。', '收到，今天联系保洁员。', '保洁员说车坏了，明天一早来。',
  '保洁队已安排，上午清运，进度1。', '垃圾已清运，垃圾桶已清洗。'];
function doc(i) {
  const appeal = Math.floor(i / 12);
  return {
    _id: `seed-head-hs1.${String(i).padStart(9, '0')}`,
    hlc: { wall: 1784000000000 + i * 5000, logical: 0 },
    actor: 'head-hs1',
    type: 'appeal.reply',
    entity: `appeal/seed-wang-1.${appeal}`,
    scope: 'qs/dq/hs/y1',
    visibility: 'participants',
    payload: { text: texts[i % texts.length] },
  };
}

async function write(remote, from, to) {
  for (let i = from; i < to; i += 1000) {
    const docs = [];
    for (let j = i; j < Math.min(to, i + 1000); j++) docs.push(doc(j));
    const res = await remote.bulkDocs(docs);
    const failed = res.find((r) => r.error);
    if (failed) throw new Error(`bulkDocs: ${JSON.stringify(failed)}`);
  }
}

async function replicate(local, remote) {
  const t = performance.now();
  const r = await local.replicate.from(remote, { batch_size: 1000, batches_limit: 1 });
  if (!r.ok) throw new Error(`replication: ${JSON.stringify(r.errors)}`);
  return performance.now() - t;
}

async function bench() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', '--deps', opt.deps, '--dir', opt.dir],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = out.match(/port (\d+)/);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`PouchDB server exited (${code})`)));
    });
    const remote = new PouchDB(`http://127.0.0.1:${port}/ops`);
    let written = 0;
    for (const count of (opt.counts || '10000,100000').split(',').map(Number)) {
      const t = performance.now();
      await write(remote, written, count);
      const writeMs = performance.now() - t;
      written = count;
      const local = new PouchDB(path.join(opt.dir, `client-${count}`));
      const initial = await replicate(local, remote);
      const docs = (await local.info()).doc_count;
      if (docs !== count) throw new Error(`the client holds ${docs} documents, not ${count}`);
      const extra = Math.round(count / 100);
      await write(remote, written, written + extra);
      written += extra;
      const incremental = await replicate(local, remote);
      await local.close();
      console.log(JSON.stringify({ records: count, initial_ms: initial, incremental_ms: incremental,
        incremental_records: extra, write_ms: writeMs, docs }));
    }
  } finally {
    child.kill('SIGTERM');
  }
}

if (mode === 'serve') {
  serve();
} else {
  bench().then(() => process.exit(0), (e) => {
    console.error(`pouchdb_sync: ${e.stack || e.message}`);
    process.exit(1);
  });
}
