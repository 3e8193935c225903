import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  call,
  createTestTenant,
  createTestUser,
  type TestTenant,
  type TestUser,
} from '../../../test/helpers.ts';
import { createTeam, patchTicket, postTicket } from '../tickets/ticket.factories.ts';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

interface SseMessage {
  event: string;
  data: Record<string, unknown>;
}

/** A real SSE client over fetch: reads `event:`/`data:` frames as they arrive. */
class SseClient {
  private readonly received: SseMessage[] = [];
  private waiters: Array<() => void> = [];
  private readonly controller = new AbortController();
  private buffer = '';
  status = 0;
  /** Resolves when the server ends the stream. */
  ended: Promise<void> = Promise.resolve();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async open(): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/v1/live`, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' },
      signal: this.controller.signal,
    });
    this.status = response.status;
    if (!response.ok || !response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.feed(value);
        }
      } catch {
        /* aborted */
      }
    })();
    await this.next((m) => m.event === 'ready');
  }

  private feed(text: string) {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) this.received.push({ event, data: JSON.parse(data) as Record<string, unknown> });
    }
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The first message (in arrival order) matching `match`, waiting for it if needed. */
  async next(match: (m: SseMessage) => boolean): Promise<SseMessage> {
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  events(): SseMessage[] {
    return [...this.received];
  }

  close() {
    this.controller.abort();
  }
}

const ticketIds = (m: SseMessage) => (m.data.tickets as Array<{ id: string }>).map((t) => t.id);
const mentions = (id: string) => (m: SseMessage) =>
  Array.isArray(m.data.tickets) && ticketIds(m).includes(id);

describe('live updates across two nodes sharing Redis', () => {
  let nodeA: FastifyInstance;
  let nodeB: FastifyInstance;
  let redisA: Redis;
  let redisB: Redis;
  let urlB: string;
  let tenant: TestTenant;
  let teamX: string;
  let teamY: string;
  let supervisor: TestUser;
  let outsiderX: TestUser;
  let outsiderY: TestUser;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    redisA = new Redis(REDIS_URL);
    redisB = new Redis(REDIS_URL);
    nodeA = await buildTestApp({ redis: redisA });
    nodeB = await buildTestApp({ redis: redisB });
    urlB = await nodeB.listen({ host: '127.0.0.1', port: 0 });
    tenant = await createTestTenant('Live shop');
    teamX = await createTeam(tenant, 'X');
    teamY = await createTeam(tenant, 'Y');
    supervisor = await createTestUser(tenant, 'supervisor');
    outsiderX = await createTestUser(tenant, 'outsourced_agent', { teamIds: [teamX] });
    outsiderY = await createTestUser(tenant, 'outsourced_agent', { teamIds: [teamY] });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await nodeA.close();
    await nodeB.close();
    redisA.disconnect();
    redisB.disconnect();
  });

  const stream = async (user: TestUser) => {
    const client = new SseClient(urlB, user.token);
    clients.push(client);
    await client.open();
    return client;
  };

  it('refuses a client that does not ask for an event stream', async () => {
    const response = await call(nodeB, supervisor.token, { method: 'GET', url: '/api/v1/live' });
    expect(response.statusCode).toBe(406);
    expect(response.data.code).toBe('NOT_ACCEPTABLE');
  });

  it('shows a ticket created on node A on node B, only to those who may see it', async () => {
    const sup = await stream(supervisor);
    const x = await stream(outsiderX);
    const y = await stream(outsiderY);

    const forX = await postTicket(nodeA, tenant.adminToken, { teamId: teamX });
    const seen = await sup.next(mentions(forX.id));
    expect(seen.event).toBe('ticket.created');
    const ticket = (seen.data.tickets as Array<Record<string, unknown>>).find((t) => t.id === forX.id)!;
    expect(ticket).toMatchObject({ teamId: teamX, number: forX.number, status: 'new' });
    // No customer data travels on the stream.
    expect(JSON.stringify(seen.data)).not.toContain('example.cn');
    expect((await x.next(mentions(forX.id))).event).toBe('ticket.created');

    // Events arrive in publish order: Y's first ticket event is about Y's ticket, never X's before it.
    const forY = await postTicket(nodeA, tenant.adminToken, { teamId: teamY });
    await y.next(mentions(forY.id));
    expect(y.events().some(mentions(forX.id))).toBe(false);
    await x.next(() => true);
  });

  it('publishes a committed update, and nothing for a refused one', async () => {
    const sup = await stream(supervisor);
    const t = await postTicket(nodeA, tenant.adminToken, { teamId: teamX });
    await sup.next(mentions(t.id));
    const stale = await patchTicket(nodeA, tenant.adminToken, t.id, t.version + 5, { priority: 'urgent' });
    expect(stale.statusCode).toBe(412);
    const ok = await patchTicket(nodeA, tenant.adminToken, t.id, t.version, { priority: 'high' });
    expect(ok.statusCode).toBe(200);
    const updated = await sup.next((m) => m.event === 'ticket.updated' && mentions(t.id)(m));
    expect((updated.data.tickets as Array<Record<string, unknown>>)[0]).toMatchObject({ priority: 'high' });
    // The refused patch (urgent) never appeared.
    const urgent = sup
      .events()
      .filter((m) => m.event === 'ticket.updated')
      .flatMap((m) => m.data.tickets as Array<Record<string, unknown>>)
      .filter((x) => x.id === t.id && x.priority === 'urgent');
    expect(urgent).toEqual([]);
  });

  it('works in process without Redis, bounds streams per user, ends open streams on close', async () => {
    const app = await buildTestApp({
      live: { maxStreams: 10, maxStreamsPerUser: 1, heartbeatMs: 60_000, maxLifetimeMs: 60_000 },
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const first = new SseClient(url, supervisor.token);
    await first.open();
    const second = new SseClient(url, supervisor.token);
    await second.open();
    expect(second.status).toBe(429);
    // Without Redis the app's own emitter carries its events.
    const local = await postTicket(app, tenant.adminToken, { teamId: teamX });
    await first.next(mentions(local.id));
    // Closing the app ends the stream still open (drain): the client sees its end, and close does not hang.
    await app.close();
    await first.ended;
  });
});
