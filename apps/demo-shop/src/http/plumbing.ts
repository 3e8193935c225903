import { timingSafeEqual } from 'node:crypto';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { ShopApiError } from '../errors.ts';

declare module 'fastify' {
  // Route documentation, kept in the schema as in apps/server (there read by @fastify/swagger).
  interface FastifySchema {
    tags?: string[];
    summary?: string;
  }
}

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Bodies are validated strictly (no coercion); query strings and params are text and are coerced. */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const options = { useDefaults: true, strict: false, keywords: ['kind', 'modifier'] };
  const coercing = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  const strict = addFormats(new Ajv({ ...options, coerceTypes: false }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}

/** Bearer API key on everything except `/healthz`. */
export function registerApiKey(app: FastifyInstance, apiKey: string): void {
  const expected = Buffer.from(`Bearer ${apiKey}`);
  app.addHook('onRequest', async (request) => {
    if (request.url === '/healthz') return;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ShopApiError('UNAUTHORIZED', 'a valid bearer API key is required');
    }
  });
}

/** Every error becomes `{ error: { code, message } }` with the status of its code. */
export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof ShopApiError) {
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message, ...error.extra } });
    }
    const err = error as { validation?: unknown; statusCode?: number; message: string };
    if (err.validation || (err.statusCode && err.statusCode < 500)) {
      return reply
        .status(err.statusCode ?? 400)
        .send({ error: { code: 'VALIDATION_FAILED', message: err.message } });
    }
    app.log.error(error);
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such route' } }),
  );
}
