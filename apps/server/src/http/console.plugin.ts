import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serverRoot } from '../lib/server-root.ts';

/** apps/console/dist, built by `npm start` (apps/console/scripts/build-if-stale.js). */
export const DEFAULT_CONSOLE_DIR = resolve(serverRoot(), '../console/dist');

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PeakDesk</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>PeakDesk is running</h1>
<p>The web console has not been built. Build it with <code>npm run build -w @peakdesk/console</code>
(or start with <code>npm start</code>, which builds it), then reload this page.</p>
<p>The API works meanwhile: <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/** Paths that belong to the API: never answered with the console's HTML, so they keep their problem+json 404s. */
export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return ['/api', '/healthz', '/readyz'].some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** A browser navigating (Accept: text/html), as opposed to a script asking for JSON. */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the console at `/`: its files, and index.html for any other page a browser navigates to (the console
 * routes in the browser). Without a build, `/` explains how to make one and the API still works.
 */
export async function consolePlugin(app: FastifyInstance, { dir }: { dir: string }): Promise<void> {
  // Everything here is public: the console's files hold no data; the API behind them checks every call.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
  const isBuilt = existsSync(join(dir, 'index.html'));
  if (isBuilt) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: ['index.html'],
      // The console build writes .br/.gz beside its assets (apps/console/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        // Vite names assets by content hash: they never change; index.html must be revalidated each time.
        res.setHeader(
          'cache-control',
          path.startsWith(join(dir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/html').send(NOT_BUILT));
  }
  app.get('/*', { schema: { hide: true } }, (request: FastifyRequest, reply: FastifyReply) => {
    if (isApiPath(request.url) || !wantsHtml(request)) return reply.callNotFound();
    if (!isBuilt) return reply.type('text/html').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
