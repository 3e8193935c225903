import type { FastifyInstance, RouteOptions } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { createValidatorCompiler } from '../src/http/validation.ts';
import { uuidv7 } from '../src/lib/ids.ts';
import { buildTestApp } from './helpers.ts';

/**
 * Route discovery for the tests that must cover every route, including routes added after they were
 * written (tenant isolation, bad input). The OpenAPI document lists the routes; the `onRoute` collector gives
 * each route's exact schemas (as the server compiles them) and its body limit.
 */

type Schema = Record<string, unknown>;

export interface ApiRoute {
  method: string;
  /** As in the OpenAPI document: `/api/v1/tickets/{id}`. */
  path: string;
  /** Path parameter names in order of appearance. */
  params: string[];
  body: Schema | undefined;
  query: Schema | undefined;
  paramsSchema: Schema | undefined;
  headers: Schema | undefined;
  /** Response status codes the route documents. */
  responses: string[];
  bodyLimit: number | undefined;
  isPublic: boolean;
}

export interface DiscoveredApi {
  app: FastifyInstance;
  routes: ApiRoute[];
  /** Routes registered under /api/v1 that the OpenAPI document does not show (and so no walk would see). */
  hidden: string[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const hasBodyMethod = (route: ApiRoute): boolean => BODY_METHODS.has(route.method);

/** Builds a test app and lists every documented route with its schemas. */
export async function discoverApi(): Promise<DiscoveredApi> {
  const registered: RouteOptions[] = [];
  const app = await buildTestApp({ onRoute: (route) => void registered.push(route) });
  const doc = app.swagger() as { paths?: Record<string, Record<string, { responses?: object }>> };
  const byKey = new Map<string, RouteOptions>();
  for (const route of registered) {
    for (const method of [route.method].flat()) byKey.set(`${method} ${route.url}`, route);
  }
  const routes: ApiRoute[] = [];
  const documented = new Set<string>();
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [lower, operation] of Object.entries(operations)) {
      const method = lower.toUpperCase();
      const route = byKey.get(`${method} ${url}`);
      documented.add(`${method} ${url}`);
      const schema = (route?.schema ?? {}) as Record<string, Schema | undefined>;
      routes.push({
        method,
        path,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        body: schema.body,
        query: schema.querystring ?? schema.query,
        paramsSchema: schema.params,
        headers: schema.headers,
        responses: Object.keys(operation.responses ?? {}),
        bodyLimit: route?.bodyLimit,
        isPublic: Boolean(route?.config?.public),
      });
    }
  }
  const hidden = registered
    .flatMap((route) => [route.method].flat().map((method) => `${method} ${route.url}`))
    .filter((key) => key.includes(' /api/v1/') && !key.startsWith('HEAD ') && !documented.has(key));
  return { app, routes, hidden };
}

export const isApiRoute = (route: ApiRoute): boolean => route.path.startsWith('/api/v1/');

/** `/api/v1/tickets/{id}/messages` with values for its parameters. */
export function fillPath(route: ApiRoute, values: Record<string, string>): string {
  return route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** The resource kind a path parameter names: `{id}` after `/tickets`, or `{ticketId}`, both give `tickets`. */
export function kindOfParam(route: ApiRoute, param: string): string {
  if (param !== 'id' && param.endsWith('Id')) {
    const stem = param.slice(0, -2).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return stem.endsWith('y') ? `${stem.slice(0, -1)}ies` : stem.endsWith('s') ? `${stem}es` : `${stem}s`;
  }
  const segments = route.path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return segments[at - 1] ?? param;
}

// ---- validation exactly as the server does it ----

const compile = createValidatorCompiler();
type Part = 'body' | 'querystring' | 'params' | 'headers';
const validators = new Map<Part, WeakMap<Schema, (value: unknown) => boolean>>();

/** Whether the server's own validator accepts `value` for this part of a request. */
export function isValid(schema: Schema, part: Part, value: unknown): boolean {
  if (!validators.has(part)) validators.set(part, new WeakMap());
  let validate = validators.get(part)!.get(schema);
  if (!validate) {
    const compiled = compile({ schema, httpPart: part, method: 'POST', url: '/' }) as (v: unknown) => boolean;
    // The query/params validator coerces in place (flat objects: a shallow copy will do); bodies are not
    // coerced, and a deep copy of a deeply nested body would overflow the stack.
    validate = (v) => compiled(part === 'body' || !v || typeof v !== 'object' ? v : { ...v });
    validators.get(part)!.set(schema, validate);
  }
  return validate(value);
}

// ---- valid samples generated from a schema ----

let unique = 0;
const PATTERN_CANDIDATES = ['x', 'abc', 'a-b', 'a_b', 'ab12', '13800138000', '+8613800138000', 'A1', '1'];

/** Property hints for values a schema cannot express (a plausible email, a password, a phone number). */
function hinted(key: string, n: number): string | undefined {
  const k = key.toLowerCase();
  if (k.includes('email')) return `walk-${n}-${Date.now().toString(36)}@example.test`;
  if (k.includes('password')) return 'correct horse battery staple';
  if (k.includes('phone')) return `1380013${String(n % 10000).padStart(4, '0')}`;
  return undefined;
}

/**
 * A value the schema accepts, made from the schema alone: required properties only (plus `extra`), the
 * first enum value, strings that fit their format and length, unique where uniqueness may matter.
 */
export function sampleValue(schema: Schema | undefined, key = 'value'): unknown {
  if (!schema) return undefined;
  const n = ++unique;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (Array.isArray(schema.examples) && schema.examples.length) return structuredClone(schema.examples[0]);
  const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (options) {
    const nonNull = options.find((o) => o.type !== 'null') ?? options[0];
    return sampleValue(nonNull, key);
  }
  const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : schema.type;
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return false;
    case 'integer':
    case 'number': {
      const min = (schema.minimum as number | undefined) ?? ((schema.exclusiveMinimum as number) ?? 0) + 1;
      return Math.min(min, (schema.maximum as number | undefined) ?? min);
    }
    case 'array': {
      const count = (schema.minItems as number | undefined) ?? 0;
      return Array.from({ length: count }, (_, i) => sampleValue(schema.items as Schema, `${key}${i}`));
    }
    case 'object':
      return sampleObject(schema);
    case 'string':
      return sampleString(schema, key, n);
    default:
      return schema.properties ? sampleObject(schema) : undefined;
  }
}

function sampleObject(schema: Schema, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const result: Record<string, unknown> = {};
  for (const name of (schema.required ?? []) as string[]) result[name] = sampleValue(properties[name], name);
  for (const [name, value] of Object.entries(extra)) if (name in properties) result[name] = value;
  // A patch body says at least one thing (minProperties): fill in optional properties until it does.
  for (const [name, property] of Object.entries(properties)) {
    if (Object.keys(result).length >= ((schema.minProperties as number | undefined) ?? 0)) break;
    if (!(name in result)) result[name] = sampleValue(property, name);
  }
  return result;
}

function sampleString(schema: Schema, key: string, n: number): string {
  const format = schema.format as string | undefined;
  if (format === 'uuid') return uuidv7();
  if (format === 'email') return hinted('email', n)!;
  if (format === 'date-time') return new Date(Date.now() + 30 * 86_400_000).toISOString();
  if (format === 'date') return new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  if (format === 'uri' || format === 'url') return `https://example.test/${n}`;
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? 200;
  const fit = (s: string) => s.padEnd(min, 'x').slice(0, Math.max(max, min));
  const hint = hinted(key, n);
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const candidates = [...(hint ? [hint] : []), `${key.toLowerCase()}-${n}`, `x${n}`, ...PATTERN_CANDIDATES];
    return candidates.map(fit).find((c) => pattern.test(c)) ?? fit(`${key}-${n}`);
  }
  return fit(hint ?? `${key} ${n} 测试`);
}

/** A valid body for a route: generated from its schema, with `extra` for the properties the schema has. */
export function sampleBody(route: ApiRoute, extra: Record<string, unknown> = {}): unknown {
  if (!route.body) return undefined;
  if (route.body.type === 'object' || route.body.properties) return sampleObject(route.body, extra);
  return sampleValue(route.body, 'body');
}

/** Request options sending a body as JSON (strings too: light-my-request would send those raw). */
export function jsonPayload(body: unknown): { payload?: string; headers: Record<string, string> } {
  if (body === undefined) return { headers: {} };
  return { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

export function sampleQuery(route: ApiRoute): Record<string, string> {
  if (!route.query) return {};
  const value = sampleObject(route.query);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

// ---- what a tenant owns, for "nothing changed" checks ----

async function tenantTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ table: string }>`
    SELECT c.table_name AS table FROM information_schema.columns c
    JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
    ORDER BY 1`.execute(db);
  return rows.map((r) => r.table);
}

/**
 * Per table, the row count and a digest of the tenant's rows (and its `tenants` row). Bookkeeping columns
 * that any authenticated request touches (`last_used_at`, `last_seen_at`) are left out.
 */
export async function tenantSnapshot(db: Db, tenantId: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of [...(await tenantTables(db)), 'tenants']) {
    const column = table === 'tenants' ? 'id' : 'tenant_id';
    const { rows } = await sql<{ count: string; digest: string | null }>`
      SELECT count(*)::text AS count,
             md5(string_agg((to_jsonb(t) - 'last_used_at' - 'last_seen_at')::text, ',' ORDER BY
                 (to_jsonb(t) - 'last_used_at' - 'last_seen_at')::text)) AS digest
      FROM ${sql.table(table)} t WHERE ${sql.ref(column)} = ${tenantId}`.execute(db);
    snapshot[table] = `${rows[0]!.count} rows ${rows[0]!.digest ?? '-'}`;
  }
  return snapshot;
}

/** The row count of every tenant-owned table for one tenant. */
export async function tenantRowCounts(db: Db, tenantId: string): Promise<Record<string, number>> {
  const snapshot = await tenantSnapshot(db, tenantId);
  return Object.fromEntries(Object.entries(snapshot).map(([t, s]) => [t, Number.parseInt(s, 10)]));
}

/** Every uuid that occurs anywhere in a JSON value. */
export function uuidsIn(value: unknown): string[] {
  const found = JSON.stringify(value ?? null).match(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
  );
  return [...new Set(found ?? [])];
}
