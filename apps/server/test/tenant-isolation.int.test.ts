import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/lib/ids.ts';
import { call, createTestTenant, testDb, type TestTenant } from './helpers.ts';
import {
  discoverApi,
  fillPath,
  isApiRoute,
  isValid,
  jsonPayload,
  kindOfParam,
  sampleBody,
  sampleQuery,
  sampleValue,
  tenantSnapshot,
  uuidsIn,
  type ApiRoute,
  type DiscoveredApi,
} from './routes.ts';

/**
 * Walks every documented route with another tenant's admin token and A's ids, and expects 404 and A's rows
 * untouched. Routes are read from the OpenAPI document at run time, so routes added later are walked too.
 */

/** Inputs the schemas cannot guess (a ticket needs a customer identity), used where the schema has them. */
const KNOWN_INPUT: Record<string, (n: number) => Record<string, unknown>> = {
  tickets: (n) => ({
    subject: `Parcel not shipped 还没发货 ${n}`,
    body: '我的订单还没发货，请帮忙查一下 — my order has not shipped',
    channel: 'web',
    customer: { name: `Isolation buyer ${n}`, email: `buyer-${n}@example.test`, phone: '13800138000' },
    orderNumber: `ISO-${n}`,
  }),
  customers: (n) => ({ name: `Isolation customer ${n}`, email: `customer-${n}@example.test` }),
  users: (n) => ({ name: `Isolation agent ${n}`, email: `agent-${n}@example.test`, role: 'agent' }),
  teams: (n) => ({ name: `Isolation team ${n}` }),
  skills: (n) => ({ name: `Isolation skill ${n}`, code: `iso-${n}` }),
  tokens: () => ({ name: 'isolation token', role: 'integration' }),
  // Never contacted by the walk (port 9 refuses): the order panel then answers state `unavailable`.
  shops: (n) => ({
    kind: 'demo-shop',
    name: `Isolation shop ${n}`,
    baseUrl: 'http://127.0.0.1:9',
    credentials: { apiKey: `isolation-key-${n}` },
    webhookSecret: `isolation-webhook-secret-${n}`,
  }),
  messages: () => ({ body: 'An internal note that tenant B must never see', visibility: 'internal' }),
};
/**
 * Creations that need the shop to answer: the walk's shop is never reachable (port 9), so these answer 503
 * UNAVAILABLE and create nothing; their routes are still walked for 404s below.
 */
const NEEDS_A_SHOP = new Set(['POST /api/v1/tickets/{id}/returns']);
/** Creation order, so that later kinds can refer to earlier ones; unknown kinds come last. */
const ORDER = ['teams', 'skills', 'customers', 'users', 'tickets', 'tokens'];

interface Resource {
  id: string;
  record: Record<string, unknown>;
}

function findResource(data: unknown, kind: string): Resource | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const object = data as Record<string, unknown>;
  if (typeof object.id === 'string') return { id: object.id, record: object };
  const singular = kind.replace(/ies$/, 'y').replace(/s$/, '');
  const nested = Object.entries(object)
    .filter(([, v]) => v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string')
    .sort(([a], [b]) => Number(b.startsWith(singular)) - Number(a.startsWith(singular)));
  const first = nested[0]?.[1] as Record<string, unknown> | undefined;
  return first ? { id: first.id as string, record: first } : undefined;
}

function diff(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after })
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t] ?? 'absent'} → ${after[t] ?? 'absent'}`);
}

describe('tenant isolation over every route', { timeout: 120_000 }, () => {
  let api: DiscoveredApi;
  let a: TestTenant;
  let b: TestTenant;
  /** One resource of every kind per tenant: A's are attacked, B's give B's own requests a valid path. */
  const owned = new Map<string, Resource>();
  const ownedByB = new Map<string, Resource>();
  const creationProblems: string[] = [];
  let n = 0;

  async function create(
    tenant: TestTenant,
    into: Map<string, Resource>,
    route: ApiRoute,
    kind: string,
  ): Promise<void> {
    const body = sampleBody(route, KNOWN_INPUT[kind]?.(++n) ?? {});
    // A required reference to another resource by id (a task's departmentId) names this tenant's own one.
    if (body && typeof body === 'object') {
      const properties = (route.body?.properties ?? {}) as Record<string, { format?: string }>;
      for (const [name, schema] of Object.entries(properties)) {
        const ref =
          schema.format === 'uuid' && name.endsWith('Id') ? into.get(kindOfParam(route, name)) : undefined;
        if (ref && name in body) (body as Record<string, unknown>)[name] = ref.id;
      }
    }
    if (route.body && !isValid(route.body, 'body', body)) {
      creationProblems.push(`${route.method} ${route.path}: could not make a valid body from its schema`);
      return;
    }
    const response = await call(api.app, tenant.adminToken, {
      method: route.method as 'POST',
      url: fillPath(route, paramsFor(route, into).values),
      query: sampleQuery(route),
      ...jsonPayload(body),
    });
    const resource = response.statusCode < 300 ? findResource(response.data, kind) : undefined;
    if (resource) into.set(kind, resource);
    else if (response.statusCode === 503 && NEEDS_A_SHOP.has(`${route.method} ${route.path}`)) return;
    else {
      creationProblems.push(
        `${route.method} ${route.path} → ${response.statusCode} ${response.body.slice(0, 300)}`,
      );
    }
  }

  /** A's value for each path parameter; a random id where A has no resource of that kind. */
  function paramsFor(
    route: ApiRoute,
    from: Map<string, Resource> = owned,
  ): { values: Record<string, string>; missing: string[] } {
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const param of route.params) {
      const kind = kindOfParam(route, param);
      const byField = [...from.values()].find((r) => typeof r.record[param] === 'string')?.record[param];
      const value = from.get(kind)?.id ?? (param === 'id' ? undefined : (byField as string | undefined));
      const schema = (route.paramsSchema?.properties as Record<string, { format?: string }> | undefined)?.[
        param
      ];
      if (value) values[param] = value;
      else if (schema && schema.format !== 'uuid') {
        // Not an id (e.g. a department): any valid value; the resource it hangs off is still A's.
        values[param] = String(sampleValue(schema, param));
      } else {
        missing.push(kind);
        values[param] = uuidv7();
      }
    }
    return { values, missing };
  }

  function headersFor(route: ApiRoute): Record<string, string> {
    const sampled = (sampleValue(route.headers, 'headers') ?? {}) as Record<string, unknown>;
    // Optimistic concurrency routes may insist on If-Match; a plausible version must not turn 404 into 428.
    return {
      'if-match': '"1"',
      ...Object.fromEntries(Object.entries(sampled).map(([k, v]) => [k, String(v)])),
    };
  }

  beforeAll(async () => {
    api = await discoverApi();
    a = await createTestTenant('Tenant A');
    b = await createTestTenant('Tenant B');
    owned.set('users', { id: a.adminUserId, record: { id: a.adminUserId, email: a.adminEmail } });
    ownedByB.set('users', { id: b.adminUserId, record: { id: b.adminUserId, email: b.adminEmail } });

    const api_ = api.routes.filter(isApiRoute);
    const topLevel = api_
      // Documented as creating (201), like sub-resources below: POST /classify computes, it creates nothing.
      .filter(
        (r) =>
          r.method === 'POST' &&
          /^\/api\/v1\/[^/{]+$/.test(r.path) &&
          !r.path.includes('/auth') &&
          r.responses.includes('201'),
      )
      .map((r) => ({ route: r, kind: r.path.split('/')[3]! }))
      .sort((x, y) => rank(x.kind) - rank(y.kind));
    for (const [tenant, into] of [
      [a, owned],
      [b, ownedByB],
    ] as const) {
      for (const { route, kind } of topLevel) await create(tenant, into, route, kind);
    }
    // Sub-resources (a ticket's messages): POST …/{id}/<kind> documented as creating (201). Public routes
    // (the customer portal) create for anonymous callers, not for an admin token; they are walked below.
    const subResources = api_.filter(
      (r) =>
        r.method === 'POST' &&
        !r.isPublic &&
        r.params.length > 0 &&
        /\/[a-z-]+$/.test(r.path) &&
        r.responses.includes('201'),
    );
    for (const [tenant, into] of [
      [a, owned],
      [b, ownedByB],
    ] as const) {
      for (const route of subResources) await create(tenant, into, route, route.path.split('/').at(-1)!);
    }
  });
  afterAll(() => api.app.close());

  const rank = (kind: string) => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.length);

  it('documents every /api/v1 route in the OpenAPI document, so the walks below see them all', () => {
    expect(api.hidden).toEqual([]);
  });

  it('creates one resource of every kind the API can create', () => {
    console.log(`tenant A owns: ${[...owned].map(([k, r]) => `${k}=${r.id}`).join(', ')}`);
    expect(creationProblems).toEqual([]);
  });

  it("answers 404 to another tenant's admin on every route that takes an id, and changes nothing", async () => {
    const db = testDb();
    const idRoutes = api.routes.filter((r) => isApiRoute(r) && r.params.length > 0);
    let baseline = await tenantSnapshot(db, a.id);
    const failures: string[] = [];
    const walked: string[] = [];
    for (const route of idRoutes) {
      const { values, missing } = paramsFor(route);
      const body = sampleBody(route);
      const url = fillPath(route, values);
      const response = await call(api.app, b.adminToken, {
        method: route.method as 'GET',
        url,
        query: sampleQuery(route),
        payload: jsonPayload(body).payload,
        headers: { ...headersFor(route), ...jsonPayload(body).headers },
      });
      walked.push(
        `${response.statusCode} ${route.method.padEnd(6)} ${route.path}` +
          (missing.length ? `   (no A resource for ${missing.join(', ')}: random id)` : ''),
      );
      if (response.statusCode !== 404) {
        failures.push(`${route.method} ${url} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      }
      const after = await tenantSnapshot(db, a.id);
      const changed = diff(baseline, after);
      if (changed.length) failures.push(`${route.method} ${url} changed tenant A: ${changed.join('; ')}`);
      // Blame each change on the request that made it, not on every request after it.
      baseline = after;
    }
    console.log(`walked ${walked.length} id routes as tenant B:\n  ${walked.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(walked.length).toBe(idRoutes.length);
  });

  it("serves A's own id routes to A, so the 404s above come from tenancy and not from a bad request", async () => {
    const failures: string[] = [];
    for (const route of api.routes.filter(
      (r) => isApiRoute(r) && r.method === 'GET' && r.params.length > 0,
    )) {
      const { values, missing } = paramsFor(route);
      if (missing.length) continue;
      const response = await call(api.app, a.adminToken, {
        method: 'GET',
        url: fillPath(route, values),
        query: sampleQuery(route),
      });
      if (response.statusCode !== 200)
        failures.push(`${route.path} → ${response.statusCode} ${response.body}`);
    }
    expect(failures).toEqual([]);
  });

  it("never lists tenant A's ids to tenant B", async () => {
    const secret = [a.id, ...[...owned.values()].flatMap((r) => uuidsIn(r.record))];
    const failures: string[] = [];
    const walked: string[] = [];
    for (const route of api.routes.filter(
      (r) => isApiRoute(r) && r.method === 'GET' && r.params.length === 0,
    )) {
      const response = await call(api.app, b.adminToken, {
        method: 'GET',
        url: route.path,
        query: sampleQuery(route),
      });
      walked.push(`${response.statusCode} GET    ${route.path}`);
      if (response.statusCode >= 500) failures.push(`${route.path} → ${response.statusCode}`);
      const leaked = secret.filter((id) => response.body.includes(id));
      if (leaked.length) failures.push(`${route.path} shows A's ${leaked.join(', ')}`);
    }
    console.log(`listed ${walked.length} routes as tenant B:\n  ${walked.join('\n  ')}`);
    expect(failures).toEqual([]);
  });

  it("refuses A's ids inside B's request bodies (assign to A's user, file under A's team …)", async () => {
    const db = testDb();
    const baseline = await tenantSnapshot(db, a.id);
    const failures: string[] = [];
    const tried: string[] = [];
    for (const route of api.routes.filter((r) => isApiRoute(r) && r.method !== 'GET' && r.body?.properties)) {
      const properties = route.body!.properties as Record<string, { format?: string }>;
      const references = Object.entries(properties)
        .filter(([name, s]) => s.format === 'uuid' && name.endsWith('Id'))
        .map(([name]) => {
          const byName = kindOfParam(route, name);
          const kind = owned.has(byName)
            ? byName
            : ['assigneeId', 'authorId', 'ownerId', 'agentId'].includes(name)
              ? 'users'
              : route.path.split('/')[3]!;
          return [name, owned.get(kind)?.id] as const;
        })
        .filter((pair): pair is readonly [string, string] => Boolean(pair[1]));
      if (!references.length) continue;
      // B's own resources in the path, so that only the body's reference to A can make it fail.
      const params = paramsFor(route, ownedByB).values;
      for (const [name, id] of references) {
        const body = { ...(sampleBody(route) as object), [name]: id };
        if (!isValid(route.body!, 'body', body)) continue;
        const response = await call(api.app, b.adminToken, {
          method: route.method as 'POST',
          url: fillPath(route, params),
          query: sampleQuery(route),
          payload: JSON.stringify(body),
          headers: { ...headersFor(route), 'content-type': 'application/json' },
        });
        tried.push(`${response.statusCode} ${route.method.padEnd(6)} ${route.path} {${name}: A's}`);
        if (response.statusCode < 400 || response.statusCode >= 500) {
          failures.push(
            `${route.method} ${route.path} with ${name}=A's → ${response.statusCode} ${response.body.slice(0, 200)}`,
          );
        }
      }
    }
    console.log(`sent A's ids in ${tried.length} request bodies as tenant B:\n  ${tried.join('\n  ')}`);
    expect(failures).toEqual([]);
    expect(diff(baseline, await tenantSnapshot(db, a.id))).toEqual([]);
  });
});
