// The sync timer and its backoff (app.js syncNow), on a phone whose timings are short
// (self.cunwuSyncTiming: every 600 ms, backoff from 200 ms doubling to 800 ms) and whose page
// never hears the `online` event (as a page frozen in the background misses it):
//   - offline, the timer stays armed, so the appeal filed offline is sent once the network is
//     back, by the timer alone;
//   - while the host cannot be reached (its /v1/sync aborted), the retries back off 200, 400,
//     800, 800 ms; once it answers again, the timer's next sync succeeds and the interval is
//     back to the normal one.
import assert from 'node:assert/strict';

import { login, synced } from './support.mjs';

const TIMING = { every: 600, backoff: 200, max: 800 };

export async function syncTimerAndBackoff(server, sun) {
  const { page, context } = sun;
  await page.addInitScript((timing) => {
    self.cunwuSyncTiming = timing;
    // Registered before the app's own listener: the app never hears that the network is back.
    window.addEventListener('online', (e) => e.stopImmediatePropagation(), { capture: true });
  }, TIMING);
  await login(page, server, '13800000004');  // 孙, a villager of 石门村
  await context.setOffline(true);
  await page.waitForSelector('#sync.offline');
  await page.evaluate(async () => {
    await window.cunwu.call('file', { appeal: { courtyard: window.cunwu.app.session.home, category: 'environment',
      urgency: 'green', text: '村西头的垃圾桶满了好几天了。', attachments: [] } });
    await window.cunwu.app.changed();
  });
  const offline = await page.evaluate(() => ({ ...window.cunwu.app.sync, timer: !!window.cunwu.app.sync.timer }));
  assert.equal(offline.pending, 1);
  assert.ok(offline.timer && offline.delay === TIMING.every, `offline, the timer stays armed: ${JSON.stringify(offline)}`);
  const since = await page.evaluate(() => Date.now());
  await context.setOffline(false);
  await synced(page, since);  // by the timer: the app was not told the network is back

  // The host unreachable: each failure waits twice as long, up to the maximum.
  await context.route('**/v1/sync', (route) => route.abort('connectionrefused'));
  await page.evaluate(() => {
    window.cunwuDelays = [];
    let seen = window.cunwu.app.sync.failures;
    window.cunwuWatch = setInterval(() => {
      const s = window.cunwu.app.sync;
      if (s.failures !== seen && !s.running) { seen = s.failures; window.cunwuDelays.push([s.failures, s.delay]); }
    }, 10);
    window.cunwu.app.syncNow();
  });
  await page.waitForFunction(() => window.cunwuDelays.length >= 4, null, { timeout: 15_000 });
  const delays = await page.evaluate(() => window.cunwuDelays.slice(0, 4));
  assert.deepEqual(delays, [[1, 200], [2, 400], [3, 800], [4, 800]], 'backoff 200, 400, 800, 800 ms');
  // The host answers again: the next retry succeeds and the normal interval is back.
  const back = await page.evaluate(() => Date.now());
  await context.unroute('**/v1/sync');
  await synced(page, back);
  const after = await page.evaluate(() => { clearInterval(window.cunwuWatch); return window.cunwu.app.sync; });
  assert.equal(after.failures, 0);
  assert.equal(after.delay, TIMING.every);
  await context.close();
}
