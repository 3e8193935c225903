/**
 * Shared plumbing of the browser tests: a real PeakDesk server (`peakdesk start`, which seeds the demo tenant)
 * on a database of its own, Debian's Chromium through playwright-core, and an API session for setup and checks.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.PEAKDESK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const cli = join(repo, 'apps/server/bin/peakdesk.js');
export const screenshots = join(repo, 'docs/screenshots');
export const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const DEMO_PASSWORD = 'peakdesk-demo';

export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  const message = `${CHROMIUM} is missing: install it (apt-get install -y chromium) to run the browser tests`;
  if (process.env.CI) throw new Error(message);
  console.warn(`[e2e] SKIPPED: ${message}`);
}

/** Runs one statement on the PostgreSQL server as its admin (creating and dropping test databases). */
export async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface Harness {
  base: string;
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Builds the console if stale, starts PeakDesk on a fresh database (demo tenant seeded) and a browser. */
export async function startHarness(name: string): Promise<Harness> {
  const built = spawnSync(process.execPath, [join(repo, 'apps/console/bin/build-if-stale.js')], {
    stdio: 'inherit',
  });
  expect(built.status).toBe(0);
  const databaseName = `peakdesk_e2e_${name}_${Date.now().toString(36)}_${process.pid}`;
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  await admin(`CREATE DATABASE ${databaseName}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const server: ChildProcess = spawn(process.execPath, [cli, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${output}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'peakdesk-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 820 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  mkdirSync(screenshots, { recursive: true });
  return {
    base,
    page,
    context,
    async close() {
      await context.close();
      if (server.exitCode === null) {
        const exited = new Promise((done) => server.once('exit', done));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(userDataDir, { recursive: true, force: true });
      await admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    },
  };
}

/** A signed-in API session (cookie + CSRF, as the console sends them). */
export async function apiSession(base: string, email: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { id: string } };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers = { cookie, 'x-csrf-token': csrfToken };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
    return { status: response.status, data: await response.json() };
  };
  return Object.assign(call, { headers, userId: user.id });
}

/** Signs in through the login form (Chinese, the default language). */
export async function signIn(page: Page, base: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${base}/`);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page
    .getByRole('button', { name: '登 录' })
    .or(page.getByRole('button', { name: '登录' }))
    .click();
}

/** Screenshots without toasts or open dropdowns. */
export async function settle(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
  await expect
    .poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count(), {
      timeout: 5_000,
    })
    .toBe(0);
}
