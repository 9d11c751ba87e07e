// The first-visit budget alone (issue 5: "first visit over an emulated slow 4G link (150 ms RTT,
// 1.6 Mbps) with 4x CPU throttling: interactive <= 5 s"), measured as e2e.mjs's budgets() does
// but repeated, each round on a fresh phone (an empty profile: nothing cached): first paint,
// the login screen ready, and interactive (the page's own stamp when its core first answered,
// after the login screen was ready). V=1 also prints every file's request start, first byte and
// end (ms since navigation) and its encoded size.
// CPU=6 throttles harder (a slower phone). Prints figures; fails only when the app does not load.
// Run: node tests/web/probe_first.mjs [rounds=3]   (the native and wasm builds, `npm ci` in web/)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startServer } from '../support/server.mjs';
import { nativeBuild, appDir, newPhone, ready } from './support.mjs';

const rounds = Number(process.argv[2] || 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwu-probe-first-'));
const server = await startServer(dir, { nativeBuild, args: ['--web', appDir] });
try {
  for (let i = 0; i < rounds; i++) {
    const { page, context } = await newPhone(dir);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150,
      downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.CPU || 4) });
    await page.goto(`${server.url}/`);
    await ready(page);
    const readyMs = Number(await page.evaluate(() => document.body.dataset.readyMs));
    const core = Number(await (await page.waitForFunction(() => document.body.dataset.interactiveMs)).jsonValue());
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    console.log(`round ${i + 1}: first paint ${fcp.toFixed(0)} ms, login ready ${readyMs} ms, interactive (core answered) ${core} ms`);
    if (process.env.V) {
      const files = await page.evaluate(() => performance.getEntriesByType('resource').map((e) =>
        `  ${e.name.replace(location.origin, '')}: start ${e.startTime.toFixed(0)}, first byte ${e.responseStart.toFixed(0)}, `
        + `end ${e.responseEnd.toFixed(0)}, ${e.encodedBodySize} B`));
      console.log(files.join('\n'));
    }
    await context.close();
  }
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
