import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../test/helpers.ts';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the console at /', () => {
  let dir: string;
  let built: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peakdesk-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    // The console build writes .br/.gz beside its assets; the server sends them as they are.
    const big = `console.log(${JSON.stringify('peakdesk '.repeat(500))})`;
    writeFileSync(join(dir, 'assets', 'vendor-def456.js'), big);
    writeFileSync(join(dir, 'assets', 'vendor-def456.js.br'), brotliCompressSync(big));
    writeFileSync(join(dir, 'assets', 'vendor-def456.js.gz'), gzipSync(big));
    built = await buildTestApp({ consoleDir: dir });
    unbuilt = await buildTestApp({ consoleDir: join(dir, 'missing') });
  });
  afterAll(async () => {
    await built.close();
    await unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and hashed assets with a long cache', async () => {
    const index = await built.inject({ url: '/', headers: html });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<div id="root">');
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await built.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it.each([
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
  ])('sends the precompressed asset for Accept-Encoding %s', async (acceptEncoding, encoding) => {
    const response = await built.inject({
      url: '/assets/vendor-def456.js',
      headers: { 'accept-encoding': acceptEncoding },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['cache-control']).toContain('immutable');
    if (!encoding) expect(response.body).toContain('peakdesk peakdesk');
  });

  it.each(['/tickets/123', '/some/deep/page?x=1'])(
    'answers a browser navigating to %s with index.html',
    async (url) => {
      const response = await built.inject({ url, headers: html });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<div id="root">');
    },
  );

  it.each([
    ['/api/v1/nothing-here', html],
    ['/api/nothing', html],
    ['/healthz/x', html],
    ['/tickets/123', { accept: 'application/json' }],
    ['/assets/missing.js', {}],
  ])('keeps the problem+json 404 for %s (%j)', async (url, headers) => {
    const response = await built.inject({ url, headers });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps the API working beside it', async () => {
    const health = await built.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    const me = await built.inject({ url: '/api/v1/auth/me', headers: html });
    expect(me.statusCode).toBe(401);
  });

  it('explains how to build the console when it is not built, and still serves the API', async () => {
    const index = await unbuilt.inject({ url: '/', headers: html });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('npm run build -w @peakdesk/console');
    expect((await unbuilt.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await unbuilt.inject({ url: '/api/v1/x', headers: html })).statusCode).toBe(404);
  });
});
