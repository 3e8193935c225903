import cluster, { type Worker } from 'node:cluster';

/**
 * `peakdesk start --workers N`: the primary prepares once (database server, migrations, seed), then forks N
 * workers that each build the app and listen on the same port (node:cluster shares the listening socket).
 * A worker that dies unasked is replaced (with a growing delay if it keeps dying). SIGTERM/SIGINT drain:
 * every worker is told SIGTERM (it closes its listener, finishes in-flight requests, flushes the intake
 * queue, closes its pool and exits 0); after they are gone the primary releases what it prepared and exits.
 */
export interface PrimaryOptions {
  workers: number;
  log: (message: string) => void;
  /** Runs once before forking; returns the environment for the workers and how to release it at the end. */
  prepare: () => Promise<{ env: Record<string, string>; release: () => Promise<void> }>;
  /** A worker that does not exit this long after SIGTERM is killed (ms). */
  drainTimeoutMs?: number;
}

export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { env, release } = await options.prepare();
  const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  let stopping = false;
  let recentCrashes = 0;
  const live = new Set<Worker>();

  const fork = () => {
    const worker = cluster.fork(env);
    live.add(worker);
  };
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) return;
    recentCrashes += 1;
    setTimeout(() => (recentCrashes = Math.max(0, recentCrashes - 1)), 60_000).unref();
    const delay = Math.min(10_000, 100 * 2 ** Math.min(recentCrashes, 7));
    options.log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another in ${delay} ms`);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === options.workers) {
      options.log(`${options.workers} workers listening on ${address.address ?? ''}:${address.port}`);
    }
  });
  for (let i = 0; i < options.workers; i++) fork();

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.log(`${signal}: draining ${live.size} workers`);
    const exits = [...live].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
          setTimeout(() => worker.process.kill('SIGKILL'), drainTimeoutMs).unref();
        }),
    );
    await Promise.all(exits);
    await release();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

export const isClusterWorker = (): boolean => cluster.isWorker;
