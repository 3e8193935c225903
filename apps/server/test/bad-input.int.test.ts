import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../src/errors.ts';
import { uuidv7 } from '../src/lib/ids.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/modules/auth/credentials.ts';
import { bearer, createTestTenant, testDb, TEST_PASSWORD, type TestTenant } from './helpers.ts';
import {
  discoverApi,
  fillPath,
  hasBodyMethod,
  isValid,
  jsonPayload,
  sampleBody,
  sampleQuery,
  tenantSnapshot,
  type ApiRoute,
  type DiscoveredApi,
} from './routes.ts';

/**
 * Generated bad input for every documented route and method (read from the OpenAPI document at run time):
 * the answer is always a 4xx problem+json with a known `code`, never a 500, and the tenant's rows are the same
 * afterwards. Deterministic (fixed seed) and bounded (RUNS cases a route).
 */

const SEED = 20261125;
const RUNS = 60;
type Schema = Record<string, unknown>;

/** A bad request, described small enough for fast-check to print as a counterexample. */
type Case =
  | { kind: 'param'; name: string; value: string }
  | { kind: 'query'; name: string; value: string }
  | { kind: 'malformed-json'; text: string }
  | { kind: 'property'; path: string[]; value: unknown }
  | { kind: 'huge-string'; path: string[]; length: number }
  | { kind: 'deep'; path: string[]; depth: number }
  | { kind: 'unknown-property'; name: string }
  | { kind: 'not-an-object'; value: unknown }
  | { kind: 'empty-body' }
  | { kind: 'content-type'; type: string };

const BAD_IDS = [
  'not-a-uuid',
  '123',
  '-1',
  'null',
  '00000000-0000-0000-0000-00000000000g',
  '01a21378-15b9-77c6-ae76',
  "' OR 1=1 --",
  '%00',
  '{id}',
  '💥',
  'x'.repeat(199),
];
const BAD_QUERY_VALUES = ['-1', '0', '10000', 'abc', '1.5', '1e309', '', 'null', 'true', '[]', '%', "'"];
const MALFORMED_JSON = [
  '{',
  '{"a":',
  "{'a':1}",
  'nul',
  '[1,]',
  '{"a":1}}',
  '\u0000',
  '{"a":1,}',
  '',
  ' ',
  'undefined',
];
const WRONG_TYPES = [
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'text/html',
  'image/png',
  'text/plain',
];

const parsesAsJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** JSON nested `depth` levels deep, as text: JSON.stringify itself overflows the stack near 4,000 levels. */
function nested(depth: number): string {
  const open: string[] = [];
  for (let i = 0; i < depth; i++) open.push(i % 2 ? '{"deeper":' : '[');
  const close = open.map((o) => (o === '[' ? ']' : '}')).reverse();
  return `${open.join('')}"bottom"${close.join('')}`;
}

function setAt(body: unknown, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone((body ?? {}) as Record<string, unknown>);
  let target = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    target[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {};
    target = target[key] as Record<string, unknown>;
  }
  target[path.at(-1)!] = value;
  return copy;
}

/** Property paths of a body schema, one level into nested objects (`customer.email`). */
function propertyPaths(
  schema: Schema | undefined,
  prefix: string[] = [],
): { path: string[]; schema: Schema }[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  return Object.entries(properties).flatMap(([name, s]) => [
    { path: [...prefix, name], schema: s },
    ...(prefix.length === 0 && s.properties ? propertyPaths(s, [name]) : []),
  ]);
}

const isEnumLike = (s: Schema) =>
  Array.isArray(s.enum) || (Array.isArray(s.anyOf) && (s.anyOf as Schema[]).some((o) => 'const' in o));

describe('bad input on every route', { timeout: 120_000 }, () => {
  let api: DiscoveredApi;
  let tenant: TestTenant;

  beforeAll(async () => {
    api = await discoverApi();
    tenant = await createTestTenant('Bad input shop');
  });
  afterAll(() => api.app.close());

  /** A valid path for the route: random ids (nothing of the tenant's is hit by a valid id). */
  const validParams = (route: ApiRoute) => Object.fromEntries(route.params.map((p) => [p, uuidv7()]));

  function casesFor(route: ApiRoute): fc.Arbitrary<Case>[] {
    const arbitraries: fc.Arbitrary<Case>[] = [];
    const params = validParams(route);
    for (const name of route.params) {
      if (!route.paramsSchema || isValid(route.paramsSchema, 'params', { ...params, [name]: 'not-a-uuid' }))
        continue;
      arbitraries.push(
        fc
          .oneof(fc.constantFrom(...BAD_IDS), fc.string({ minLength: 1, maxLength: 60 }))
          .filter((v) => v !== '.' && v !== '..')
          .map((value) => ({ kind: 'param', name, value })),
      );
    }
    const query = (route.query?.properties ?? {}) as Record<string, Schema>;
    for (const name of Object.keys(query)) {
      const base = sampleQuery(route);
      const rejects = BAD_QUERY_VALUES.some(
        (v) => !isValid(route.query!, 'querystring', { ...base, [name]: v }),
      );
      // A cursor is opaque to the schema: any garbage string must still be refused by the route.
      if (name !== 'cursor' && !rejects) continue;
      arbitraries.push(
        fc
          .oneof(
            fc.constantFrom(
              ...BAD_QUERY_VALUES,
              'eyJ4IjoxfQ',
              'AAAA',
              Buffer.from('[]').toString('base64url'),
            ),
            fc.string({ maxLength: 40 }),
            fc.base64String({ minLength: 4, maxLength: 60 }),
          )
          .map((value) => ({ kind: 'query', name, value })),
      );
    }
    if (!hasBodyMethod(route)) return arbitraries;

    arbitraries.push(
      fc
        .oneof(
          fc.constantFrom(...MALFORMED_JSON),
          fc.string({ maxLength: 50 }).filter((s) => !parsesAsJson(s)),
        )
        .map((text) => ({ kind: 'malformed-json', text })),
      fc.constantFrom(...WRONG_TYPES.filter((t) => t !== 'text/plain' || route.body)).map((type) => ({
        kind: 'content-type',
        type,
      })),
    );
    if (!route.body) return arbitraries;
    const paths = propertyPaths(route.body);
    arbitraries.push(
      fc.constant({ kind: 'empty-body' }),
      fc
        .oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null))
        .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
        .map((value) => ({ kind: 'not-an-object', value })),
      fc.integer({ min: 200, max: 5000 }).map((depth) => ({ kind: 'deep', path: [], depth })),
    );
    if (paths.length) {
      const path = fc.constantFrom(...paths.map((p) => p.path));
      arbitraries.push(
        fc
          .record({
            path,
            value: fc.oneof(
              fc.integer(),
              fc.double(),
              fc.boolean(),
              fc.constant(null),
              fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
              fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
              fc.string({ maxLength: 30 }),
            ),
          })
          .map(({ path: p, value }) => ({ kind: 'property', path: p, value })),
        fc
          .record({ path, depth: fc.integer({ min: 50, max: 3000 }) })
          .map(({ path: p, depth }) => ({ kind: 'deep', path: p, depth })),
        fc.string({ minLength: 1, maxLength: 20 }).map((name) => ({ kind: 'unknown-property', name })),
      );
      const enums = paths.filter((p) => isEnumLike(p.schema));
      if (enums.length) {
        arbitraries.push(
          fc
            .record({
              path: fc.constantFrom(...enums.map((p) => p.path)),
              value: fc.string({ maxLength: 20 }),
            })
            .map(({ path: p, value }) => ({ kind: 'property', path: p, value })),
        );
      }
      const bounded = paths.filter((p) => typeof p.schema.maxLength === 'number');
      if (bounded.length) {
        arbitraries.push(
          fc.constantFrom(...bounded).chain((p) =>
            fc.integer({ min: 1, max: 20_000 }).map((extra) => ({
              kind: 'huge-string' as const,
              path: p.path,
              length: (p.schema.maxLength as number) + extra,
            })),
          ),
        );
      }
    }
    return arbitraries;
  }

  /** The request for a case, or undefined when the case happens to be valid input (then it is skipped). */
  function requestFor(route: ApiRoute, c: Case) {
    const params = validParams(route);
    let query = sampleQuery(route);
    let body: unknown = sampleBody(route);
    let raw: string | undefined;
    let contentType: string | undefined = 'application/json';
    switch (c.kind) {
      case 'param':
        params[c.name] = c.value;
        if (isValid(route.paramsSchema!, 'params', params)) return undefined;
        break;
      case 'query':
        query = { ...query, [c.name]: c.value };
        // A cursor is opaque to the schema, so any non-empty garbage must be refused; other values only
        // when the schema refuses them.
        if ((c.name !== 'cursor' || c.value === '') && isValid(route.query!, 'querystring', query)) {
          return undefined;
        }
        break;
      case 'malformed-json':
        raw = c.text;
        break;
      case 'property':
        body = setAt(body, c.path, c.value);
        break;
      case 'huge-string':
        body = setAt(body, c.path, '长'.repeat(c.length));
        break;
      case 'deep':
        raw = c.path.length
          ? JSON.stringify(setAt(body, c.path, '__DEEP__')).replace('"__DEEP__"', nested(c.depth))
          : nested(c.depth);
        body = JSON.parse(raw);
        break;
      case 'unknown-property':
        body = setAt(body, [`zz${c.name}`], 1);
        break;
      case 'not-an-object':
        body = c.value;
        break;
      case 'empty-body':
        body = undefined;
        contentType = undefined;
        break;
      case 'content-type':
        raw = c.type === 'text/plain' ? 'hello' : 'a=1&b=<x/>';
        contentType = c.type;
        break;
    }
    const bodyChecked = (c.kind !== 'malformed-json' && c.kind !== 'content-type' && route.body) as boolean;
    if (bodyChecked && isValid(route.body!, 'body', body)) return undefined;
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    return {
      method: route.method as 'POST',
      url: fillPath(route, params),
      query,
      headers: {
        ...bearer(tenant.adminToken),
        ...(contentType && payload !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(payload === undefined ? {} : { payload }),
    };
  }

  function problemOf(response: LightMyRequestResponse): string | undefined {
    const where = `${response.statusCode} ${response.body.slice(0, 300)}`;
    if (response.statusCode < 400 || response.statusCode >= 500) return `status ${where}`;
    if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) {
      return `content-type ${String(response.headers['content-type'])}: ${where}`;
    }
    const problem = JSON.parse(response.body) as { code?: unknown; status?: unknown };
    if (typeof problem.code !== 'string' || !(problem.code in ERRORS)) return `unknown code: ${where}`;
    if (problem.status !== response.statusCode) return `status member differs: ${where}`;
    return undefined;
  }

  it('answers every generated bad request with a 4xx problem and changes nothing', async () => {
    const db = testDb();
    const before = await tenantSnapshot(db, tenant.id);
    const tally: string[] = [];
    for (const route of api.routes) {
      const cases = casesFor(route);
      if (!cases.length) {
        tally.push(`  -  ${route.method.padEnd(6)} ${route.path} (takes no input)`);
        continue;
      }
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(...cases), async (c) => {
          const request = requestFor(route, c);
          fc.pre(request !== undefined);
          sent++;
          const response = await api.app.inject(request);
          const problem = problemOf(response);
          if (problem)
            throw new Error(`${route.method} ${route.path} ${JSON.stringify(c).slice(0, 300)} → ${problem}`);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      tally.push(`${String(sent).padStart(3)} ${route.method.padEnd(6)} ${route.path}`);
    }
    console.log(`bad requests sent per route:\n${tally.join('\n')}`);
    expect(await tenantSnapshot(db, tenant.id)).toEqual(before);
  });

  it('answers 413 to a body over the limit on every route that takes a body', async () => {
    const failures: string[] = [];
    for (const route of api.routes.filter(hasBodyMethod)) {
      const limit = route.bodyLimit ?? 1024 * 1024;
      if (limit > 8 * 1024 * 1024) continue;
      const response = await api.app.inject({
        method: route.method as 'POST',
        url: fillPath(route, validParams(route)),
        headers: { ...bearer(tenant.adminToken), 'content-type': 'application/json' },
        payload: JSON.stringify({ padding: 'x'.repeat(limit) }),
      });
      const problem = problemOf(response);
      if (response.statusCode !== 413 || problem)
        failures.push(`${route.method} ${route.path} → ${problem ?? response.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses every state-changing route to a session cookie without the CSRF header', async () => {
    const login = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: tenant.adminEmail, password: TEST_PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const before = await tenantSnapshot(testDb(), tenant.id);
    const failures: string[] = [];
    let checked = 0;
    for (const route of api.routes.filter(hasBodyMethod)) {
      const body = sampleBody(route);
      if (route.body && !isValid(route.body, 'body', body)) continue;
      checked++;
      const response = await api.app.inject({
        method: route.method as 'POST',
        url: fillPath(route, validParams(route)),
        query: sampleQuery(route),
        cookies: { [SESSION_COOKIE]: session },
        ...jsonPayload(body),
      });
      const code = (JSON.parse(response.body || '{}') as { code?: string }).code;
      if (response.statusCode !== 403 || code !== 'CSRF_FAILED') {
        failures.push(
          `${route.method} ${route.path} → ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    expect(await tenantSnapshot(testDb(), tenant.id)).toEqual(before);
    // The header the console sends makes the same cookie work, so the 403s above are about CSRF alone.
    const csrf = login.cookies.find((c) => c.name !== SESSION_COOKIE)!.value;
    const logout = await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { [SESSION_COOKIE]: session },
      headers: { [CSRF_HEADER]: csrf },
    });
    expect(logout.statusCode).toBe(204);
  });

  it('accepts no unknown body properties on any route (additionalProperties: false)', () => {
    const loose = api.routes
      .filter((r) => r.body?.properties)
      .filter((r) => isValid(r.body!, 'body', { ...(sampleBody(r) as object), zzUnknownProperty: 1 }))
      .map((r) => `${r.method} ${r.path}`);
    expect(loose).toEqual([]);
  });
});
