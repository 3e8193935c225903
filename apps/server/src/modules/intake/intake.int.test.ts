import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, call, createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { runDueJobs } from './follow-up.sweep.ts';
import type { IntakeConfig } from './intake.config.ts';
import { purgeDoneJobs, purgeKeys } from './intake.repository.ts';

const CONFIG: IntakeConfig = {
  maxBatchSize: 50,
  maxConcurrentCommits: 2,
  maxQueued: 1000,
  maxWaitMs: 10_000,
  maxInFlight: 1000,
  rateLimit: 0,
  rateWindowSeconds: 60,
  keyRetentionMs: 24 * 3_600_000,
  doneJobRetentionMs: 7 * 24 * 3_600_000,
};

let seq = 0;
function ticket(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    body: `订单 ${seq} 还没发货，请帮忙查一下 / my order ${seq} has not shipped`,
    channel: 'api',
    customer: { email: `buyer${seq}@example.com`, name: `Buyer ${seq}` },
    ...overrides,
  };
}

async function ticketCount(tenant: TestTenant): Promise<number> {
  const row = await testDb()
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', tenant.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('ticket intake', () => {
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    app = await buildTestApp({ intake: CONFIG });
    tenant = await createTestTenant();
  });
  afterAll(async () => {
    await app.close();
  });

  const batch = (items: unknown[]) =>
    call(app, tenant.adminToken, { method: 'POST', url: '/api/v1/tickets/batch', payload: { items } });

  it('POST /tickets: a retry with the same Idempotency-Key replays the answer, another body gets 409', async () => {
    const payload = ticket({ subject: '价保申请' });
    const send = (body: unknown) =>
      call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { 'idempotency-key': `single-${seq}` },
        payload: body as object,
      });
    const before = await ticketCount(tenant);
    const first = await send(payload);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(first.headers.location).toBe(`/api/v1/tickets/${first.data.id}`);
    const again = await send(payload);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.data).toEqual(first.data);
    expect(again.headers.etag).toBe(first.headers.etag);
    const reused = await send({ ...payload, body: '另一个问题' });
    expect(reused.statusCode).toBe(409);
    expect(reused.data.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await ticketCount(tenant)).toBe(before + 1);
  });

  it('POST /tickets: twenty concurrent requests with one key create one ticket', async () => {
    const payload = ticket();
    const key = `race-${seq}`;
    const before = await ticketCount(tenant);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(app, tenant.adminToken, {
          method: 'POST',
          url: '/api/v1/tickets',
          headers: { 'idempotency-key': key },
          payload,
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((r) => r.data.id as string)).size).toBe(1);
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await ticketCount(tenant)).toBe(before + 1);
  });

  it('POST /tickets: an item refused by the ticket rules is a 400 like any validation error', async () => {
    const response = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets',
      payload: ticket({ body: '   ' }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_FAILED');
  });

  it('takes the valid items of a batch and refuses malformed and oversized ones one by one', async () => {
    const before = await ticketCount(tenant);
    const response = await batch([
      ticket(),
      { ...ticket(), channel: 'carrier-pigeon' },
      'not an object',
      ticket({ body: '很长'.repeat(40_000) }),
      ticket({ customer: {} }),
      ticket({ subject: '退货', tags: ['618'] }),
    ]);
    expect(response.statusCode).toBe(200);
    const results = response.data.results as { index: number; status: number; error?: { code: string } }[];
    expect(results.map((r) => [r.index, r.status, r.error?.code])).toEqual([
      [0, 201, undefined],
      [1, 400, 'VALIDATION_FAILED'],
      [2, 400, 'VALIDATION_FAILED'],
      [3, 413, 'PAYLOAD_TOO_LARGE'],
      [4, 400, 'VALIDATION_FAILED'],
      [5, 201, undefined],
    ]);
    expect(response.data.counts).toEqual({ created: 2, replayed: 0, failed: 4 });
    expect(await ticketCount(tenant)).toBe(before + 2);
  });

  it('refuses a batch of more than 500 items as a whole', async () => {
    const response = await batch(Array.from({ length: 501 }, () => ticket()));
    expect(response.statusCode).toBe(400);
  });

  it('replays a key: same answer, no second ticket; another body under the key is 409', async () => {
    const item = ticket({ idempotencyKey: `order-${seq}-msg-1` });
    const first = await batch([item]);
    expect(first.data.results[0].status).toBe(201);
    const before = await ticketCount(tenant);
    const again = await batch([item]);
    expect(again.data.results[0]).toMatchObject({ status: 201, replayed: true });
    expect(again.data.results[0].ticket).toEqual(first.data.results[0].ticket);
    const reused = await batch([{ ...item, body: 'something else entirely' }]);
    expect(reused.data.results[0]).toMatchObject({ status: 409, error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await ticketCount(tenant)).toBe(before);
  });

  it('creates one ticket for a key sent twice in one batch and in concurrent batches', async () => {
    const before = await ticketCount(tenant);
    const item = ticket({ idempotencyKey: `dup-${seq}` });
    const responses = await Promise.all([batch([item, item]), batch([item]), batch([item, ticket()])]);
    const forKey = responses.flatMap((r, i) =>
      (r.data.results as { index: number; status: number; ticket?: { id: string } }[]).filter(
        (x) => !(i === 2 && x.index === 1),
      ),
    );
    expect(forKey.every((r) => r.status === 201)).toBe(true);
    expect(new Set(forKey.map((r) => r.ticket!.id)).size).toBe(1);
    expect(await ticketCount(tenant)).toBe(before + 2);
  });

  it('treats a channel message id as the key', async () => {
    const item = ticket({ channel: 'email', externalMessageId: `<m${seq}@mail.example>` });
    const first = await batch([item]);
    const again = await batch([item]);
    expect(again.data.results[0]).toMatchObject({ status: 201, replayed: true });
    expect(again.data.results[0].ticket.id).toBe(first.data.results[0].ticket.id);
  });

  it('writes a durable ticket.created job in the same transaction, run by the outbox sweep', async () => {
    const response = await batch([ticket({ customer: { phone: '+86 138 0000 9999' } })]);
    const ticketId = response.data.results[0].ticket.id as string;
    const job = await testDb()
      .selectFrom('outboxJobs')
      .selectAll()
      .where('tenantId', '=', tenant.id)
      .where('ticketId', '=', ticketId)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: 'ticket.created', payload: { ticketId } });
    await runDueJobs(testDb(), new Date(Date.now() + 1000), 500, tenant.id);
    const done = await testDb()
      .selectFrom('outboxJobs')
      .select(['doneAt', 'result'])
      .where('tenantId', '=', tenant.id)
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(done.doneAt).not.toBeNull();
    expect(done.result).toEqual({ requesterOpenTickets: 1, repeatContact: false });
  });

  it('records a repeat contact: the open tickets of the requester when the follow-up runs', async () => {
    const phone = '+86 139 0000 7777';
    const first = await batch([ticket({ customer: { phone } })]);
    const second = await batch([ticket({ customer: { phone } }), ticket({})]);
    const ids = [
      first.data.results[0].ticket.id,
      second.data.results[0].ticket.id,
      second.data.results[1].ticket.id,
    ] as string[];
    await runDueJobs(testDb(), new Date(Date.now() + 1000), 500, tenant.id);
    const results = await testDb()
      .selectFrom('outboxJobs')
      .select(['ticketId', 'result'])
      .where('tenantId', '=', tenant.id)
      .where('ticketId', 'in', ids)
      .execute();
    const byTicket = new Map(results.map((r) => [r.ticketId, r.result]));
    // Both tickets of the returning customer see two open tickets; the other customer's sees one.
    expect(ids.map((id) => byTicket.get(id))).toEqual([
      { requesterOpenTickets: 2, repeatContact: true },
      { requesterOpenTickets: 2, repeatContact: true },
      { requesterOpenTickets: 1, repeatContact: false },
    ]);
  });

  it('purges completed jobs past their retention, never jobs still due', async () => {
    const response = await batch([ticket({}), ticket({})]);
    const [doneTicket, dueTicket] = (response.data.results as { ticket: { id: string } }[]).map(
      (r) => r.ticket.id,
    );
    const jobs = testDb()
      .selectFrom('outboxJobs')
      .select(['ticketId', 'doneAt'])
      .where('tenantId', '=', tenant.id);
    // One of the two is done; the other stays due (as if its sweep had not come yet).
    await sql`UPDATE outbox_jobs SET done_at = now() WHERE tenant_id = ${tenant.id} AND ticket_id = ${doneTicket}`.execute(
      testDb(),
    );
    // Within the retention nothing goes.
    await purgeDoneJobs(testDb(), new Date(Date.now() - 60_000), 100, [tenant.id]);
    expect(await jobs.where('ticketId', '=', doneTicket!).execute()).toHaveLength(1);
    // Past it (the jobs were made before `before`), the completed job goes and the due one stays.
    expect(await purgeDoneJobs(testDb(), new Date(Date.now() + 60_000), 100, [tenant.id])).toBeGreaterThan(0);
    const left = await jobs.where('ticketId', 'in', [doneTicket!, dueTicket!]).execute();
    expect(left).toEqual([{ ticketId: dueTicket, doneAt: null }]);
  });

  it('purges keys older than the retention, and only those', async () => {
    const oldKey = `old-${seq}`;
    await batch([ticket({ idempotencyKey: oldKey })]);
    await sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours'
              WHERE tenant_id = ${tenant.id} AND key = ${`k:${oldKey}`}`.execute(testDb());
    const freshKey = `fresh-${seq}`;
    await batch([ticket({ idempotencyKey: freshKey })]);
    await purgeKeys(testDb(), new Date(Date.now() - 24 * 3_600_000), 1000);
    const keys = await testDb()
      .selectFrom('idempotencyKeys')
      .select('key')
      .where('tenantId', '=', tenant.id)
      .where('key', 'in', [`k:${oldKey}`, `k:${freshKey}`])
      .execute();
    expect(keys.map((k) => k.key)).toEqual([`k:${freshKey}`]);
  });
});

describe('intake backpressure', () => {
  it('answers 429 with Retry-After past the per-token rate limit', async () => {
    const app = await buildTestApp({ intake: { ...CONFIG, rateLimit: 2, rateWindowSeconds: 60 } });
    const tenant = await createTestTenant();
    const send = () =>
      call(app, tenant.adminToken, {
        method: 'POST',
        url: '/api/v1/tickets/batch',
        payload: { items: [ticket()] },
      });
    expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(200);
    const refused = await send();
    expect(refused.statusCode).toBe(429);
    expect(refused.data.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await app.close();
  });

  it('answers 503 OVERLOADED with Retry-After for items past the queue bound, and takes the rest', async () => {
    const app = await buildTestApp({ intake: { ...CONFIG, maxQueued: 2, maxConcurrentCommits: 1 } });
    const tenant = await createTestTenant();
    const response = await call(app, tenant.adminToken, {
      method: 'POST',
      url: '/api/v1/tickets/batch',
      payload: { items: Array.from({ length: 6 }, () => ticket()) },
    });
    expect(response.statusCode).toBe(200);
    const statuses = (response.data.results as { status: number }[]).map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 201 || s === 503)).toBe(true);
    await app.close();
  });
});
