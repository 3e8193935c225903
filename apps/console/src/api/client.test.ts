import { describe, expect, it } from 'vitest';
import { ApiError, buildQuery, createApiClient, readCookie } from './client.ts';

interface Seen {
  url: string;
  init: RequestInit;
}

function fakeFetch(response: () => Response, seen: Seen[] = []) {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    return response();
  };
}

const problem = (status: number, body: object) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

describe('api client', () => {
  it('turns problem+json into an ApiError with the code, status and extra members', async () => {
    const client = createApiClient({
      fetch: fakeFetch(() =>
        problem(409, {
          title: 'Say which one',
          status: 409,
          code: 'TENANT_REQUIRED',
          detail: 'Add "tenant"',
          tenants: 2,
        }),
      ),
    });
    const error = await client.post('/api/v1/auth/login', { email: 'a@b.c' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'TENANT_REQUIRED', message: 'Add "tenant"' });
    expect((error as ApiError).problem.tenants).toBe(2);
  });

  it('turns a non-JSON failure into an ApiError named after the status', async () => {
    const client = createApiClient({
      fetch: fakeFetch(
        () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      ),
    });
    const error = await client.get('/api/v1/tickets').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502', message: 'Bad Gateway' });
  });

  it.each([
    ['GET', false],
    ['POST', true],
    ['PATCH', true],
    ['DELETE', true],
  ] as const)('%s sends the CSRF token: %s', async (method, expected) => {
    const seen: Seen[] = [];
    const client = createApiClient({
      fetch: fakeFetch(() => Response.json({}), seen),
      csrfToken: () => 'tok',
    });
    await client.send('/x', { method });
    const headers = seen[0]!.init.headers as Record<string, string>;
    expect(headers['x-csrf-token']).toBe(expected ? 'tok' : undefined);
  });

  it('returns the ETag with the data and null for 204', async () => {
    const client = createApiClient({
      fetch: fakeFetch(() => new Response(null, { status: 204, headers: { etag: '"7"' } })),
    });
    expect(await client.send('/x', { method: 'DELETE' })).toEqual({ data: null, etag: '"7"' });
  });

  it('sends a JSON body with its content type', async () => {
    const seen: Seen[] = [];
    const client = createApiClient({
      fetch: fakeFetch(() => Response.json({ ok: 1 }), seen),
      csrfToken: () => undefined,
    });
    expect(await client.post('/x', { a: 1 })).toEqual({ ok: 1 });
    expect(seen[0]!.init.body).toBe('{"a":1}');
    expect((seen[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });
});

describe('buildQuery', () => {
  it.each([
    [{}, ''],
    [{ q: '退款', limit: 50 }, '?q=%E9%80%80%E6%AC%BE&limit=50'],
    [{ status: ['new', 'open'] }, '?status=new&status=open'],
    [{ q: '', cursor: undefined, assigneeId: 'me' }, '?assigneeId=me'],
  ])('%j → %s', (query, expected) => {
    expect(buildQuery(query)).toBe(expected);
  });
});

describe('readCookie', () => {
  it.each([
    ['peakdesk_csrf=abc', 'abc'],
    ['a=1; peakdesk_csrf=x%3Dy; b=2', 'x=y'],
    ['a=1; peakdesk_csrf_old=zzz', undefined],
    ['', undefined],
  ])('%s → %s', (cookies, expected) => {
    expect(readCookie(cookies, 'peakdesk_csrf')).toBe(expected);
  });
});
