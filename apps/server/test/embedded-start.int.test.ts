import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The fresh-machine path: `peakdesk start` with no DATABASE_URL runs an embedded PostgreSQL, migrates, seeds
 * the demo tenant, serves, and on SIGTERM stops everything it started; a second start keeps the data. Slow
 * (initdb), so it runs when PEAKDESK_TEST_EMBEDDED=1 (CI sets it).
 */

const BIN = resolve(import.meta.dirname, '../bin/peakdesk.js');
const ADMIN_EMAIL = 'owner@embedded.test';
const ADMIN_PASSWORD = 'embedded admin password';
const START_TIMEOUT_MS = 150_000;

/** Distinct free ports: all are held open until each is known, so the kernel cannot hand out one twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((done, fail) => {
          const server = createServer();
          server.once('error', fail);
          server.listen(0, '127.0.0.1', () => done(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Processes whose command line names the data directory: the embedded PostgreSQL and its children. */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(dir)) found.push(`${pid} ${cmdline.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Waits until no process uses the directory (or the deadline passes); returns what is still there. */
async function gone(dir: string, deadlineMs: number): Promise<string[]> {
  const until = Date.now() + deadlineMs;
  while (processesUsing(dir).length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return processesUsing(dir);
}

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

describe.skipIf(process.env.PEAKDESK_TEST_EMBEDDED !== '1')('peakdesk start without DATABASE_URL', () => {
  let dataDir: string;
  let port: number;
  let pgPort: number;
  let shopPort: number;
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    // The embedded server runs as the postgres user when we are root: it must be able to enter the directory.
    dataDir = mkdtempSync('/tmp/peakdesk-embedded-');
    chmodSync(dataDir, 0o755);
    [port, pgPort, shopPort] = (await freePorts(3)) as [number, number, number];
  });

  afterAll(() => {
    for (const child of running)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (processesUsing(dataDir).length === 0) rmSync(dataDir, { recursive: true, force: true });
  });

  function start(until = /PeakDesk is running: (http:\/\/\S+)/): Promise<Running> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PEAKDESK_DATA_DIR: dataDir,
      PORT: String(port),
      PEAKDESK_EMBEDDED_PG_PORT: String(pgPort),
      PEAKDESK_DEMO_SHOP_PORT: String(shopPort),
      PEAKDESK_ADMIN_EMAIL: ADMIN_EMAIL,
      PEAKDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no URL within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = until.exec(output);
        if (match) {
          clearTimeout(timer);
          done({ child, url: (match[1] ?? '').replace(/\/$/, ''), output: () => output, exited });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        fail(new Error(`peakdesk start exited (${code}) before serving:\n${output}`));
      });
    });
  }

  async function login(server: Running): Promise<Response> {
    return fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
  }

  /** The demo shop started beside PeakDesk and the demo tickets were pointed at its orders: a panel shows one. */
  async function expectOrderPanel(server: Running, cookie: string): Promise<void> {
    const until = Date.now() + 90_000;
    while (!/pointed \d+ demo tickets/.test(server.output()) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(server.output()).toMatch(/pointed \d+ demo tickets at demo-shop orders/);
    const headers = { cookie: cookie.split(';')[0]! };
    const list = (await (await fetch(`${server.url}/api/v1/tickets?limit=200`, { headers })).json()) as {
      items: { id: string; orderNumber: string | null }[];
    };
    const ticket = list.items.find((t) => t.orderNumber?.startsWith('DS'));
    expect(ticket, server.output()).toBeDefined();
    const panel = await fetch(`${server.url}/api/v1/tickets/${ticket!.id}/order`, { headers });
    expect(await panel.json()).toMatchObject({ state: 'ok', order: { orderNumber: ticket!.orderNumber } });
  }

  async function stopAndExpectNothingLeft(server: Running): Promise<void> {
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(0);
    expect(server.output()).toMatch(/SIGTERM/);
    expect(processesUsing(dataDir), server.output()).toEqual([]);
    expect(await isListening(pgPort), server.output()).toBe(false);
    expect(await isListening(port), server.output()).toBe(false);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid')), server.output()).toBe(false);
  }

  it(
    'starts an embedded PostgreSQL on first start, seeds the demo admin, serves, and stops it on SIGTERM',
    async () => {
      const server = await start();
      expect(server.url).toBe(`http://127.0.0.1:${port}`);
      expect(processesUsing(dataDir).length).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/readyz`)).status, server.output()).toBe(200);
      const response = await login(server);
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toMatch(/peakdesk_session=/);
      expect(server.output()).toMatch(/initialising embedded PostgreSQL/);
      expect(server.output()).toMatch(/seeded the demo tenant/);
      await expectOrderPanel(server, response.headers.get('set-cookie')!);
      await stopAndExpectNothingLeft(server);
      expect(await isListening(shopPort), server.output()).toBe(false);
    },
    START_TIMEOUT_MS + 60_000,
  );

  it(
    'leaves nothing behind when stopped while it is still starting',
    async () => {
      // PostgreSQL is up; the server has not yet (or only just) taken over the signal: either way it stops it.
      const server = await start(/embedded PostgreSQL is up/);
      server.child.kill('SIGTERM');
      // It handles the signal (no death by signal, which would orphan PostgreSQL); the exit code may be 143, or
      // 1 when the interrupted migration saw its database go away first.
      expect(await server.exited, server.output()).not.toBeNull();
      // PostgreSQL got its fast-shutdown signal; if the failing migration made the process exit first, the
      // server finishes shutting down on its own within moments (no port, no postmaster.pid left).
      expect(await gone(dataDir, 20_000)).toEqual([]);
      expect(await isListening(pgPort)).toBe(false);
    },
    START_TIMEOUT_MS + 60_000,
  );

  it(
    'keeps the data across a restart on the same data directory',
    async () => {
      const server = await start();
      expect(server.output()).not.toMatch(/initialising embedded PostgreSQL/);
      expect(server.output()).not.toMatch(/seeded the demo tenant/);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      expect((await login(server)).status).toBe(200);
      await stopAndExpectNothingLeft(server);
    },
    START_TIMEOUT_MS + 60_000,
  );
});
