import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * wrk's path, installing Debian's package when it is missing: the load generator must be lean, since it
 * shares the machine's two cores with the server it measures.
 */
export function ensureWrk(log: (message: string) => void): string {
  const found = () => {
    try {
      return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  let path = found();
  if (path) {
    log(`using ${path}`);
    return path;
  }
  log('wrk not found: installing it from Debian (apt-get install -y wrk)');
  execFileSync(
    'sh',
    ['-c', 'apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  path = found();
  if (!path) throw new Error('wrk is needed: apt-get install wrk');
  return path;
}

/** A free loopback port (benchmarks listen on 127.0.0.1 only). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
