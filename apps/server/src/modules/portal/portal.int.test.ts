import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { parsePortalToken } from './portal-link.ts';

const NOW = new Date('2026-11-11T02:00:00Z');
const DAY = 86_400_000;
type Json = Record<string, any>;

describe('customer portal', () => {
  let app: FastifyInstance;
  let tenant: TestTenant;
  let other: TestTenant;
  let clock = NOW;
  let n = 0;

  beforeAll(async () => {
    app = await buildTestApp({
      now: () => clock,
      portalLimits: {
        ticketsPerIp: 1000,
        ticketsPerContact: 3,
        linkRequestsPerEmail: 2,
        windowSeconds: 3600,
      },
    });
    [tenant, other] = await Promise.all([createTestTenant(), createTestTenant('Other shop')]);
    const policy = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/sla/policies',
      payload: {
        name: 'default',
        isDefault: true,
        targets: [
          {
            priority: 'normal',
            minTier: 0,
            firstResponseMinutes: 60,
            nextResponseMinutes: 120,
            resolutionMinutes: 1440,
          },
        ],
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });
  afterAll(() => app.close());

  function open(payload: Json, slug = tenant.slug, ip = '203.0.113.7') {
    return app.inject({
      method: 'POST',
      url: `/api/v1/portal/${slug}/tickets`,
      payload,
      remoteAddress: ip,
    });
  }
  async function opened(extra: Json = {}): Promise<{ token: string; ticket: Json; email: string }> {
    const email = `buyer-${++n}@example.test`;
    const r = await open({
      name: '王小明',
      email,
      subject: '还没发货',
      body: '我的订单三天了还没发货，请帮忙查一下物流',
      orderNumber: `DD2026${n}`,
      ...extra,
    });
    expect(r.statusCode, r.body).toBe(201);
    const data = r.json();
    return { token: data.accessToken, ticket: data.ticket, email };
  }
  const asCustomer = (token: string, method: 'GET' | 'POST', url: string, payload?: Json) =>
    app.inject({ method, url, payload, headers: { 'x-portal-token': token } });

  it('opens a ticket through intake: classified, routed to the SLA, tagged, with the order number', async () => {
    const { token, ticket } = await opened();
    expect(token).toMatch(/^pdp_/);
    expect(ticket).toMatchObject({ subject: '还没发货', status: 'new', orderNumber: `DD2026${n}` });
    expect(ticket.messages).toEqual([
      expect.objectContaining({ authorType: 'customer', body: '我的订单三天了还没发货，请帮忙查一下物流' }),
    ]);
    const staff = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
    expect(staff.data).toMatchObject({ channel: 'web', tags: ['portal'], requester: { name: '王小明' } });
    expect(staff.data.category).toEqual(expect.any(String));
    expect(staff.data.sla.firstResponseDueAt).toBe(new Date(clock.getTime() + 3_600_000).toISOString());
    // What the portal shows carries nothing agent-only.
    expect(Object.keys(ticket).sort()).toEqual(
      ['createdAt', 'id', 'messages', 'number', 'orderNumber', 'status', 'subject', 'updatedAt'].sort(),
    );
  });

  it('stores only a hash of the secret and says whom the link is for', async () => {
    const { token, ticket } = await opened();
    // The secret is base64url, which may itself hold '_': take it as the server parses it.
    const secret = parsePortalToken(token)!.secret;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const rows = await testDb()
      .selectFrom('portalLinks')
      .select(['secretHash', 'ticketId'])
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticket.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secretHash).not.toContain(secret);
    const session = await asCustomer(token, 'GET', '/api/v1/portal/session');
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({
      tenant: { slug: tenant.slug },
      customer: { name: '王小明' },
      scope: 'ticket',
      ticketId: ticket.id,
      expiresAt: new Date(clock.getTime() + 30 * DAY).toISOString(),
    });
  });

  it('shows public replies and never internal notes', async () => {
    const { token, ticket } = await opened();
    for (const [body, visibility] of [
      ['INTERNAL: customer is a reseller, be careful', 'internal'],
      ['您好，已为您催促仓库，今天发出', 'public'],
    ]) {
      const r = await call(app, tenant.adminToken, {
        method: 'POST',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        payload: { body, visibility },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const seen = await asCustomer(token, 'GET', `/api/v1/portal/requests/${ticket.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('INTERNAL');
    expect(
      seen.json<{ messages: Json[] }>().messages.map((m) => [String(m.authorType), String(m.body)]),
    ).toEqual([
      ['customer', '我的订单三天了还没发货，请帮忙查一下物流'],
      ['agent', '您好，已为您催促仓库，今天发出'],
    ]);
    const list = await asCustomer(token, 'GET', '/api/v1/portal/requests');
    expect(list.json<{ items: Json[] }>().items.map((t) => String(t.id))).toEqual([ticket.id]);
  });

  it("answers 404 to another customer's token, and to no token, for a ticket", async () => {
    const mine = await opened();
    const theirs = await opened();
    for (const headers of [{ 'x-portal-token': theirs.token }, {}, { 'x-portal-token': 'pdp_nonsense' }]) {
      for (const request of [
        { method: 'GET' as const, url: `/api/v1/portal/requests/${mine.ticket.id}` },
        {
          method: 'POST' as const,
          url: `/api/v1/portal/requests/${mine.ticket.id}/replies`,
          payload: { body: 'hi' },
        },
      ]) {
        const r = await app.inject({ ...request, headers });
        expect(r.statusCode, r.body).toBe(404);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json().code).toBe('TICKET_NOT_FOUND');
      }
    }
    const list = await asCustomer(theirs.token, 'GET', '/api/v1/portal/requests');
    expect(list.json<{ items: Json[] }>().items.map((t) => String(t.id))).toEqual([theirs.ticket.id]);
  });

  it('lets the customer answer, which reopens a pending ticket; a closed one is 409', async () => {
    const { token, ticket } = await opened();
    const patch = (status: string, version: number) =>
      call(app, tenant.adminToken, {
        method: 'PATCH',
        url: `/api/v1/tickets/${ticket.id}`,
        payload: { status },
        headers: { 'if-match': String(version) },
      });
    const pending = await patch('pending', 1);
    expect(pending.statusCode, pending.body).toBe(200);
    const answer = await asCustomer(token, 'POST', `/api/v1/portal/requests/${ticket.id}/replies`, {
      body: '好的，谢谢！单号是多少？',
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({ authorType: 'customer', body: '好的，谢谢！单号是多少？' });
    const staff = await call(app, tenant.adminToken, { method: 'GET', url: `/api/v1/tickets/${ticket.id}` });
    expect(staff.data.status).toBe('open');
    expect((staff.data as { messages: Json[] }).messages.at(-1)).toMatchObject({
      authorType: 'customer',
      visibility: 'public',
    });

    expect((await patch('closed', staff.data.version)).statusCode).toBe(200);
    const late = await asCustomer(token, 'POST', `/api/v1/portal/requests/${ticket.id}/replies`, {
      body: '还在吗',
    });
    expect(late.statusCode).toBe(409);
  });

  it('refuses unknown and expired links with 401 problems', async () => {
    const { token } = await opened();
    const bad = await asCustomer(`${token.slice(0, -4)}AAAA`, 'GET', '/api/v1/portal/session');
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('PORTAL_LINK_INVALID');
    clock = new Date(NOW.getTime() + 31 * DAY);
    try {
      const late = await asCustomer(token, 'GET', '/api/v1/portal/requests');
      expect(late.statusCode).toBe(401);
      expect(late.json().code).toBe('PORTAL_LINK_EXPIRED');
    } finally {
      clock = NOW;
    }
  });

  it("cannot reach another tenant's tickets with a link of this tenant, nor open tickets in an unknown one", async () => {
    const { token } = await opened();
    const theirs = await call(app, other.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: { body: 'other shop ticket', channel: 'web', customer: { email: 'x@example.test' } },
    });
    const r = await asCustomer(token, 'GET', `/api/v1/portal/requests/${theirs.data.id}`);
    expect(r.statusCode).toBe(404);
    const unknown = await open(
      { name: 'x', email: 'a@example.test', subject: 's', body: 'b' },
      'no-such-shop',
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('TENANT_NOT_FOUND');
  });

  it.each([
    ['neither email nor phone', { name: 'x', subject: 's', body: 'b' }],
    ['an unknown property', { name: 'x', email: 'a@example.test', subject: 's', body: 'b', admin: true }],
    [
      'a bad order number',
      { name: 'x', email: 'a@example.test', subject: 's', body: 'b', orderNumber: 'a b' },
    ],
  ])('answers 400 problem+json to %s', async (_, payload) => {
    const r = await open(payload);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('rate-limits new tickets per email with 429 and Retry-After', async () => {
    const email = `busy-${Date.now()}@example.test`;
    const body = { name: 'Busy', email, subject: 'again', body: 'where is it' };
    for (let i = 0; i < 3; i++)
      expect((await open(body, tenant.slug, `198.51.100.${i}`)).statusCode).toBe(201);
    const refused = await open(body, tenant.slug, '198.51.100.99');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toEqual(expect.any(String));
    expect(refused.json().code).toBe('RATE_LIMITED');
  });

  it('records a link request for a known email only, answering 202 either way', async () => {
    const { email } = await opened();
    const count = async () =>
      Number(
        (
          await testDb()
            .selectFrom('portalAccessRequests')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenantId', '=', tenant.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const address of ['nobody@example.test', email.toUpperCase()]) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/portal/${tenant.slug}/access-links`,
        payload: { email: address },
      });
      expect(r.statusCode).toBe(202);
    }
    expect(await count()).toBe(before + 1);
  });
});
