import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestApp, call, testDb } from './helpers.ts';

/** The real `peakdesk` command, run as a child process against this run's database. */

const BIN = resolve(import.meta.dirname, '../bin/peakdesk.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function peakdesk(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), REDIS_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('the peakdesk command', () => {
  let app: FastifyInstance;
  const slug = `cli-${Date.now().toString(36)}-${process.pid}`;
  const adminEmail = `owner@${slug}.test`;
  const adminPassword = 'a long enough cli password';

  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('migrate is idempotent', async () => {
    const count = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM peakdesk_migrations`.execute(testDb()))
        .rows[0]!.n;
    const before = await count();
    const first = await peakdesk('migrate');
    const second = await peakdesk('migrate');
    expect([first.code, second.code], first.stderr + second.stderr).toEqual([0, 0]);
    expect(second.stderr).toMatch(/up to date/);
    expect(await count()).toBe(before);
  }, 60_000);

  it('creates a tenant whose admin can log in, then an integration token that works', async () => {
    const created = await peakdesk(
      'tenant',
      'create',
      '--slug',
      slug,
      '--name',
      'CLI 旗舰店',
      '--admin-email',
      adminEmail,
      '--admin-password',
      adminPassword,
    );
    expect(created.code, created.stderr).toBe(0);
    const tenantId = lastLine(created.stdout);
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
    const login = await call(app, null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: adminEmail, password: adminPassword },
    });
    expect(login.statusCode).toBe(200);
    expect(login.data.tenantId).toBe(tenantId);

    const issued = await peakdesk('token', 'create', '--tenant', slug, '--role', 'integration');
    expect(issued.code, issued.stderr).toBe(0);
    const token = lastLine(issued.stdout);
    expect(token).toMatch(/^pdk_\S+$/);
    const me = await call(app, token, { method: 'GET', url: '/api/v1/auth/me' });
    expect(me.statusCode).toBe(200);
    expect(me.data).toMatchObject({ tenantId, role: 'integration' });
  }, 60_000);

  it('exits non-zero with a clear message, and prints nothing on stdout, for bad arguments', async () => {
    const cases: [string[], RegExp][] = [
      [['tenant', 'create', '--slug', 'only-a-slug'], /--name is required/],
      [
        ['token', 'create', '--tenant', 'no-such-tenant-here', '--role', 'integration'],
        /no-such-tenant-here/,
      ],
      [['token', 'create', '--tenant', slug, '--role', 'wizard'], /role/i],
      [['token', 'create', '--tenant', slug], /--role is required/],
      [['migrate', '--bogus'], /bogus/],
      [['frobnicate'], /unknown command/],
      [
        [
          'tenant',
          'create',
          '--slug',
          slug,
          '--name',
          'x',
          '--admin-email',
          `b@${slug}.test`,
          '--admin-password',
          'pw-pw-pw-pw',
        ],
        /slug/i,
      ],
    ];
    // Two at a time: each run starts a Node process with tsx, and the machine has two cores.
    const runs: Run[] = [];
    for (let i = 0; i < cases.length; i += 2) {
      runs.push(...(await Promise.all(cases.slice(i, i + 2).map(([args]) => peakdesk(...args)))));
    }
    const failures = runs
      .map((run, i) => ({ run, args: cases[i]![0].join(' '), expected: cases[i]![1] }))
      .filter(({ run, expected }) => run.code === 0 || !expected.test(run.stderr) || run.stdout.trim() !== '')
      .map(
        ({ run, args }) =>
          `peakdesk ${args} → exit ${run.code}, stdout ${JSON.stringify(run.stdout)}, stderr ${run.stderr.slice(0, 400)}`,
      );
    expect(failures).toEqual([]);
    // A clear message is one line, not a stack trace.
    for (const run of runs) expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
