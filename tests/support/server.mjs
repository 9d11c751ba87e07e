// The real cunwu-server for node tests: a demo county (cunwu-admin demo) in DIR/county, the host
// as a child process on a free loopback port, its JSON log in DIR/server.log.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/// Starts the host from the native build directory `nativeBuild` with `args` added to its
/// flags (e.g. ['--web', dir]). Resolves to { url, data, log, stop } once it listens.
export async function startServer(dir, { nativeBuild, args = [] }) {
  const data = path.join(dir, 'county');
  execFileSync(path.join(nativeBuild, 'native/cunwu-admin'), ['demo', '--data', data], { stdio: 'ignore' });
  const log = path.join(dir, 'server.log');
  const child = spawn(path.join(nativeBuild, 'native/cunwu-server'), ['--data', data, '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', fs.openSync(log, 'a')] });
  // The first line says where it listens: "cunwu-server listening on http://127.0.0.1:PORT/".
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on http:\/\/[^:]+:(\d+)\//);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`cunwu-server exited (${code}) before listening`)));
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { url: `http://127.0.0.1:${port}`, data, log, stop };
}
