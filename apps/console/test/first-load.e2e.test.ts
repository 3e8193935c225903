/**
 * The workspace's first load in real Chromium against the built console served by `peakdesk start`: a signed-in
 * agent opens `/` with a cold browser cache; we time navigation start → the first queue row on screen with the
 * Performance API (in the page, not from the test's clock) and count the JS/CSS bytes the browser fetched.
 * Issue 7 asks for under 2 s on this machine. The machine is shared, so the bound applies to the best of three
 * cold loads; every figure is printed for docs/benchmarks.md.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, signIn, startHarness, type Harness } from './harness.ts';

const BOUND_MS = 2_000;

interface LoadFigures {
  rowsVisibleMs: number;
  domContentLoadedMs: number;
  jsBytes: number;
  cssBytes: number;
  requests: number;
}

/** Reloads `/` with the HTTP cache cleared and returns the page's own timings once a queue row is painted. */
async function coldLoad(page: Page, base: string): Promise<LoadFigures> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  // Polled on animation frames inside the page: the time is the page's, measured from its navigation start.
  const handle = await page.waitForFunction(
    () => {
      const row = document.querySelector('.queue-item');
      return row && row.getBoundingClientRect().height > 0 ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  const rowsVisibleMs = (await handle.jsonValue()) as number;
  const rest = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const bytes = (pattern: RegExp) =>
      resources
        .filter((r) => pattern.test(new URL(r.name).pathname))
        .reduce((sum, r) => sum + r.transferSize, 0);
    return {
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? 0,
      jsBytes: bytes(/\.m?js$/),
      cssBytes: bytes(/\.css$/),
      requests: resources.length,
    };
  });
  return { rowsVisibleMs, ...rest };
}

describe.skipIf(!hasChromium)('first load of the workspace', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness('firstload');
    // Sign in once (the session cookie survives the cache clears), and let the first paint settle.
    await signIn(h.page, h.base, 'li.na@demo.peakdesk.local');
    await h.page.locator('.queue-item').first().waitFor();
  }, 240_000);
  afterAll(() => h?.close());

  it(`shows the queue within ${BOUND_MS} ms of navigation start with a cold cache`, async () => {
    const runs: LoadFigures[] = [];
    for (let i = 0; i < 3; i++) runs.push(await coldLoad(h.page, h.base));
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    for (const [i, r] of runs.entries()) {
      console.log(
        `[first-load] run ${i + 1}: queue rows visible ${r.rowsVisibleMs.toFixed(0)} ms, ` +
          `DOMContentLoaded ${r.domContentLoadedMs.toFixed(0)} ms, JS ${kib(r.jsBytes)}, ` +
          `CSS ${kib(r.cssBytes)}, ${r.requests} requests`,
      );
    }
    // Something was really fetched each time (the cache was cold), or the figure would mean nothing.
    for (const r of runs) expect(r.jsBytes).toBeGreaterThan(50_000);
    const best = Math.min(...runs.map((r) => r.rowsVisibleMs));
    expect(best).toBeLessThan(BOUND_MS);
  }, 120_000);
});
