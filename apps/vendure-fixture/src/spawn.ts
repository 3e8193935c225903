import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts `vendure-fixture start` as its own process (as a shop runs beside PeakDesk) and resolves with the JSON
 * line it prints when ready: tests of the adapter and of PeakDesk share this one way of starting it.
 */
export interface VendureFixtureOptions {
  /** Default 0: a free port on 127.0.0.1. */
  port?: number;
  /** Default 60. */
  orders?: number;
  superadminPassword?: string;
  /** Installs PeakDesk's webhook plugin, delivering here. */
  webhookUrl?: string;
  webhookSecret?: string;
}

export interface VendureFixture {
  port: number;
  adminApiUrl: string;
  shopApiUrl: string;
  superadmin: { identifier: string; password: string };
  orders: number;
  couponCode: string;
  readyInMs: number;
  /** SIGTERM, resolved when the process has exited. */
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../bin/vendure-fixture.js', import.meta.url));

export function startVendureFixture(options: VendureFixtureOptions = {}): Promise<VendureFixture> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      VENDURE_DISABLE_TELEMETRY: 'true',
      PORT: String(options.port ?? 0),
      VENDURE_FIXTURE_ORDERS: String(options.orders ?? 60),
      ...(options.superadminPassword
        ? { VENDURE_FIXTURE_SUPERADMIN_PASSWORD: options.superadminPassword }
        : {}),
      ...(options.webhookUrl
        ? {
            VENDURE_FIXTURE_WEBHOOK_URL: options.webhookUrl,
            VENDURE_FIXTURE_WEBHOOK_SECRET: options.webhookSecret ?? '',
          }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    // The last few kilobytes are enough to say why a start failed.
    errors = (errors + chunk.toString()).slice(-8000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ ...(JSON.parse(line) as Omit<VendureFixture, 'stop'>), stop });
    });
    child.once('exit', (code) => reject(new Error(`Vendure exited (${code}): ${errors}`)));
  });
}
