import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, scratchDatabase } from './scratch.ts';

/**
 * `bin/peakdesk.js` runs the esbuild bundle (bin/build.js), rebuilding it when src/ is newer. Builds go to a
 * directory of this test's own (PEAKDESK_DIST_DIR), so that the shared dist/ and its builds are left alone.
 */

const SERVER_DIR = resolve(import.meta.dirname, '..');
const BIN = join(SERVER_DIR, 'bin/peakdesk.js');

interface Build {
  dir: string;
  builtAt: number;
  inputs: string[];
}

let distDir: string;
// A database of its own: the servers started here run sweeps over every tenant of their database with the
// real clock, which would move other test files' tickets (their clocks are fixed) under them.
let databaseUrl: string;
let dropDatabase: (() => Promise<void>) | undefined;
const currentBuild = () => JSON.parse(readFileSync(join(distDir, 'current.json'), 'utf8')) as Build;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PEAKDESK_DIST_DIR: distDir,
    PEAKDESK_DEMO_SHOP: 'off',
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function peakdesk(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: env(),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

/** Resident memory (MB) and thread count, as the kernel reports them. */
function procStatus(pid: number): { rssMb: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024,
    threads: Number(/Threads:\s+(\d+)/.exec(status)?.[1]),
  };
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the compiled server', () => {
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    const scratch = await scratchDatabase(inject('databaseUrl'), 'peakdesk_compiled');
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
    // Inside apps/server: the build finds the files beside the code (the model, …) by walking up from itself.
    mkdirSync(join(SERVER_DIR, 'dist'), { recursive: true });
    distDir = mkdtempSync(join(SERVER_DIR, 'dist', '.test-'));
  });
  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(distDir, { recursive: true, force: true });
    await dropDatabase?.();
  });

  it('is built on first use, reused while src/ is unchanged, and rebuilt once src/ is newer', async () => {
    const first = await peakdesk('migrate');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/built .*main\.js in \d+ ms/);
    const built = currentBuild();
    expect(existsSync(join(distDir, built.dir, 'main.js'))).toBe(true);
    expect(built.inputs).toContain('src/main.ts');
    // The workspace package @peakdesk/commerce exports TypeScript, so it is bundled rather than imported.
    expect(built.inputs.some((input) => input.includes('packages/commerce/src/'))).toBe(true);

    const again = await peakdesk('migrate');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/built /);
    expect(currentBuild().dir).toBe(built.dir);

    // As if src/main.ts had been saved after the build started (without touching the shared checkout).
    const edited = statSync(join(SERVER_DIR, 'src/main.ts')).mtimeMs;
    writeFileSync(join(distDir, 'current.json'), JSON.stringify({ ...built, builtAt: edited - 1 }));
    const stale = await peakdesk('migrate');
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stderr).toMatch(/built .*main\.js in \d+ ms/);
    expect(currentBuild().dir).not.toBe(built.dir);
    expect(currentBuild().builtAt).toBeGreaterThan(edited);
    // The build that was current a moment ago stays for processes still running it.
    expect(existsSync(join(distDir, built.dir, 'main.js'))).toBe(true);
  }, 60_000);

  it('serves /readyz from the build with two workers, while the primary never loads the app', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, 'start', '--workers', '2'], {
      env: env({ PORT: String(port) }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const until = Date.now() + 45_000;
    while (!/2 workers listening/.test(stderr) && Date.now() < until && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stderr).toMatch(/2 workers listening/);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const workers = childrenOf(child.pid!);
    expect(workers).toHaveLength(2);
    const entry = join(distDir, currentBuild().dir, 'main.js');
    for (const pid of workers) {
      // Each worker runs the compiled entry its primary chose, not src/ through tsx.
      expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`PEAKDESK_ENTRY=${entry}`);
    }
    // A primary that imported Fastify and the modules would be about as large as a worker (~150 MB).
    const primary = procStatus(child.pid!);
    const smallestWorker = Math.min(...workers.map((pid) => procStatus(pid).rssMb));
    expect(primary.rssMb, JSON.stringify({ primary, smallestWorker })).toBeLessThan(smallestWorker * 0.6);

    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
  }, 60_000);
});
