import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serverRoot } from '../../lib/server-root.ts';

/**
 * `npm start` runs the demo shop (apps/demo-shop) beside PeakDesk as a child process: its own HTTP API on a
 * fixed loopback port, its own schema on PeakDesk's PostgreSQL, and signed order events sent to PeakDesk's
 * per-connection webhook. PeakDesk never waits for it to serve: the shop seeds itself on first start (a few
 * seconds) while PeakDesk is already answering, and if it cannot start (port taken) PeakDesk runs without it.
 */
export interface DemoShopProcessOptions {
  databaseUrl: string;
  port: number;
  apiKey: string;
  webhookSecret: string;
  webhookUrl: string;
  log: (message: string) => void;
  /** Extra environment (tests: a schema of their own, fewer orders). */
  env?: Record<string, string>;
}

export interface DemoShopProcess {
  /** Resolves with the base URL once the shop listens; rejects if it exits first. */
  ready: Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const BIN = join(serverRoot(), '../demo-shop/bin/demo-shop.js');

/** `PEAKDESK_DEMO_SHOP=off` (or `false`, `0`) disables it; so does a missing apps/demo-shop. */
export function isDemoShopEnabled(env: NodeJS.ProcessEnv): boolean {
  return (
    !['off', 'false', '0', 'no'].includes((env.PEAKDESK_DEMO_SHOP ?? '').toLowerCase()) && existsSync(BIN)
  );
}

export function demoShopPort(env: NodeJS.ProcessEnv): number {
  const port = Number(env.PEAKDESK_DEMO_SHOP_PORT || 3100);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : 3100;
}

export function startDemoShopProcess(options: DemoShopProcessOptions): DemoShopProcess {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      DEMO_SHOP_DATABASE_URL: options.databaseUrl,
      DEMO_SHOP_SCHEMA: 'demo_shop',
      PORT: String(options.port),
      DEMO_SHOP_API_KEY: options.apiKey,
      DEMO_SHOP_WEBHOOK_SECRET: options.webhookSecret,
      DEMO_SHOP_WEBHOOK_URL: options.webhookUrl,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If PeakDesk exits without stopping it (a signal during start-up), the shop must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  }).then(() => void process.removeListener('exit', killOnExit));
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(line.trim());
  });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The shop prints one JSON line with its port once it listens.
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
    child.once('exit', (code, signal) => reject(new Error(`the demo shop exited (${code ?? signal})`)));
    child.once('error', reject);
  });
  // Nobody may await `ready` (PeakDesk does not wait for the shop): never an unhandled rejection.
  ready.catch(() => undefined);
  return {
    ready,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
