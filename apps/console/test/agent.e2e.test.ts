/**
 * The agent's core loop in real Chromium against a real PeakDesk server (a child process on a free port, on the
 * test database): sign in, open a ticket from the queue, reply, change the priority, switch to English.
 * Needs Debian's chromium at /usr/bin/chromium: skipped with a message without it, except in CI where it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  apiSession,
  CHROMIUM,
  CHROMIUM_ARGS,
  cli,
  freePort,
  hasChromium,
  repo,
  serverUrl,
  screenshots,
  settle,
} from './harness.ts';

// A database of its own, dropped afterwards, as `npm test` does: `peakdesk start` seeds the demo tenant there.
const databaseName = `peakdesk_e2e_${Date.now().toString(36)}_${process.pid}`;
const databaseUrl = (() => {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();

function runCli(args: string[]): string {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`peakdesk ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

async function waitForReady(base: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${log()}`);
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become ready:\n${log()}`);
}

describe.skipIf(!hasChromium)('agent workspace in Chromium', () => {
  const slug = `e2e-${Date.now().toString(36)}`;
  const email = `agent@${slug}.test`;
  const password = 'e2e correct horse battery';
  let server: ChildProcess;
  let output = '';
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let call: Awaited<ReturnType<typeof apiSession>>;
  let ticketId: string;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(repo, 'apps/console/bin/build-if-stale.js')], {
      stdio: 'inherit',
    });
    expect(built.status).toBe(0);
    await admin(`CREATE DATABASE ${databaseName}`);
    runCli([
      'tenant',
      'create',
      '--slug',
      slug,
      '--name',
      'E2E 旗舰店',
      '--admin-email',
      email,
      '--admin-password',
      password,
    ]);

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [cli, 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForReady(base, server, () => output);

    call = await apiSession(base, email, password);
    const created = await call('POST', '/api/v1/tickets', {
      subject: '双11订单还没发货',
      body: '你好，我11月11日下的订单 DD20261111001 到现在还没有发货，请帮忙催一下。',
      channel: 'web',
      customer: { name: '王小明', email: 'wang.xm@example.com', phone: '13800138000' },
      orderNumber: 'DD20261111001',
      priority: 'normal',
    });
    expect(created.status).toBe(201);
    ticketId = created.data.id;

    userDataDir = mkdtempSync(join(tmpdir(), 'peakdesk-e2e-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 760 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // A step that hangs fails with its own locator, well before the test's timeout.
    page.setDefaultTimeout(15_000);
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  });

  it('signs in, opens the ticket, replies, adds a note, changes the priority, recovers from a stale version and switches to English', async () => {
    // This test drives the lost race (412): with the live stream the view would already show the other
    // change before ours is sent. Live updates have their own test (floor.e2e.test.ts).
    await page.route('**/api/v1/live', (route) => route.abort());
    const started = Date.now();
    await page.goto(`${base}/`);
    await page.getByLabel('邮箱').waitFor();
    console.log(`[e2e] cold load of the console to the login form: ${Date.now() - started} ms`);
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill(password);
    await page.screenshot({ path: join(screenshots, 'console-login.png') });
    await page
      .getByRole('button', { name: '登 录' })
      .or(page.getByRole('button', { name: '登录' }))
      .click();

    // The new ticket is nobody's yet: it is in the unassigned queue.
    await page.getByText('未分配').click();
    await page.getByText('#1 双11订单还没发货').click();
    await expect.poll(() => page.url()).toContain(`#/tickets/${ticketId}`);
    await page.getByTestId('ticket-subject').waitFor();
    await page.getByText('王小明').waitFor();

    const reply = '您好，已为您催促仓库，今天内发出，物流单号稍后短信通知。';
    await page.getByLabel('回复客户…').fill(reply);
    await page.getByRole('button', { name: '发送回复' }).click();
    await page.locator('.message[data-visibility="public"]', { hasText: reply }).waitFor();

    const note = '仓库反馈：该批次双11订单积压，已加急。';
    await page.getByText('内部备注', { exact: true }).click();
    await page.getByLabel('添加仅内部可见的备注…').fill(note);
    await page.getByRole('button', { name: '添加备注' }).click();
    await page.locator('.message[data-visibility="internal"]', { hasText: note }).waitFor();

    await page.getByRole('combobox', { name: '优先级' }).last().click();
    await page.locator('.ant-select-item-option[title="紧急"]').click();
    await page.getByText('工单已更新').waitFor();

    // Someone else changes the ticket meanwhile: our next change is refused (412), the view reloads and says so.
    const current = await call('GET', `/api/v1/tickets/${ticketId}`);
    const elsewhere = await fetch(`${base}/api/v1/tickets/${ticketId}`, {
      method: 'PATCH',
      headers: {
        ...call.headers,
        'content-type': 'application/json',
        'if-match': `"${current.data.version}"`,
      },
      body: JSON.stringify({ status: 'pending' }),
    });
    expect(elsewhere.status).toBe(200);
    await page.getByRole('combobox', { name: '状态' }).last().click();
    await page.locator('.ant-select-item-option[title="已解决"]').click();
    await page.getByText('该工单刚被其他人修改').waitFor();
    const statusSelect = page
      .locator('.ant-select', { has: page.getByRole('combobox', { name: '状态' }) })
      .last();
    await expect.poll(() => statusSelect.textContent(), { timeout: 15_000 }).toContain('等待客户');
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-ticket-zh-CN.png') });

    const detail = await call('GET', `/api/v1/tickets/${ticketId}`);
    expect(detail.data.priority).toBe('urgent');
    expect(detail.data.status).toBe('pending');
    expect(detail.data.messages).toContainEqual(
      expect.objectContaining({ body: reply, visibility: 'public', authorType: 'agent' }),
    );
    expect(detail.data.messages).toContainEqual(
      expect.objectContaining({ body: note, visibility: 'internal' }),
    );

    await page.getByRole('combobox', { name: '语言' }).click();
    await page.locator('.ant-select-item-option[title="English"]').click();
    await page.getByRole('button', { name: 'Add note' }).waitFor();
    await page.getByText('Conversation').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-US');
    await settle(page);
    await page.screenshot({ path: join(screenshots, 'console-ticket-en-US.png') });
  }, 120_000);
});
