import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems } from '../../http/schemas.ts';
import type { LiveBus } from './live-bus.ts';
import type { LiveConfig } from './live.config.ts';
import { visibleTo, type LiveEvent } from './live-events.ts';

/** A stream whose client does not read this much buffered output is dropped (it reconnects and refetches). */
const MAX_BUFFERED_BYTES = 512 * 1024;

interface OpenStream {
  end(): void;
}

/**
 * GET /live: the tenant's events as Server-Sent Events, filtered per connection by the caller's ticket scope
 * (see visibleTo). Each stream starts with `event: ready` once it is subscribed; `: hb` comments keep it
 * alive; it ends after maxLifetimeMs (the browser's EventSource reconnects and authenticates again), on
 * shutdown, or when the client stops reading. There is no replay: a client refetches after a reconnect.
 */
export const liveRoutes: FastifyPluginAsyncTypebox<{ bus: LiveBus; config: LiveConfig }> = async (
  app,
  { bus, config },
) => {
  const open = new Set<OpenStream>();
  const perUser = new Map<string, number>();
  app.addHook('preClose', (done) => {
    for (const stream of [...open]) stream.end();
    done();
  });

  app.get(
    '/live',
    {
      config: { permission: 'tickets:read', longLived: true },
      schema: {
        tags: ['live'],
        summary: 'Live updates (Server-Sent Events): tickets created/updated/messages, SLA, presence',
        description:
          'Send Accept: text/event-stream (EventSource does). Events: ticket.created, ticket.updated, ' +
          'ticket.message, sla.warning, sla.breached ({tickets: [{id, teamId, assigneeId, status?, ' +
          'priority?, category?}], at}) and agent.presence ({userId, presence, at}), only for tickets the ' +
          'caller may see and without customer data. No replay: refetch after reconnecting.',
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...problems(401, 403, 406, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!String(request.headers.accept ?? '').includes('text/event-stream')) {
        throw new AppError('NOT_ACCEPTABLE', 'This route streams text/event-stream; send that Accept header');
      }
      if (open.size >= config.maxStreams) {
        throw new AppError('OVERLOADED', 'This node has no room for another live stream', { retryAfter: 5 });
      }
      const who = `${actor.tenantId}/${actor.userId ?? actor.id}`;
      const mine = perUser.get(who) ?? 0;
      if (mine >= config.maxStreamsPerUser) {
        throw new AppError('RATE_LIMITED', `At most ${config.maxStreamsPerUser} live streams per user`);
      }
      perUser.set(who, mine + 1);

      reply.hijack();
      const raw: ServerResponse = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');

      let ended = false;
      const write = (chunk: string) => {
        if (ended) return;
        raw.write(chunk);
        if (raw.writableLength > MAX_BUFFERED_BYTES) stream.end();
      };
      const send = (event: LiveEvent) => {
        const visible = visibleTo(actor, event);
        if (visible) write(`event: ${visible.type}\ndata: ${JSON.stringify(visible)}\n\n`);
      };
      const unsubscribe = bus.subscribe(actor.tenantId, send);
      const heartbeat = setInterval(() => write(': hb\n\n'), config.heartbeatMs);
      const lifetime = setTimeout(() => stream.end(), config.maxLifetimeMs);
      const stream: OpenStream = {
        end() {
          if (ended) return;
          ended = true;
          open.delete(stream);
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          unsubscribe();
          const left = (perUser.get(who) ?? 1) - 1;
          if (left > 0) perUser.set(who, left);
          else perUser.delete(who);
          raw.end();
        },
      };
      open.add(stream);
      raw.on('close', () => stream.end());
      raw.on('error', () => stream.end());
      try {
        await bus.ready();
      } catch (err) {
        request.log.warn({ err }, 'live subscription not confirmed');
      }
      write(`event: ready\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
    },
  );
};
