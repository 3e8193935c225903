import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AppError, toProblem } from '../../errors.ts';
import { requireActor } from '../../http/authenticate.ts';
import { isDatabaseUnavailable } from '../../http/problem.plugin.ts';
import { problems } from '../../http/schemas.ts';
import { createValidatorCompiler } from '../../http/validation.ts';
import type { RateLimiter } from '../../lib/rate-limiter.ts';
import type { NewTicketInput } from '../tickets/new-ticket.ts';
import { etagOf } from '../tickets/if-match.ts';
import { TicketView } from '../tickets/ticket.schemas.ts';
import { QueueOverloadedError } from './group-commit.ts';
import type { IntakeConfig } from './intake.config.ts';
import {
  BatchBody,
  BatchItemSchema,
  BatchResponse,
  IdempotencyHeaders,
  IntakeTicketBody,
  MAX_ITEM_CHARS,
  type BatchItem,
} from './intake.schemas.ts';
import type { IntakeOutcome, IntakeService } from './intake.service.ts';

export interface IntakeRouteOptions {
  intake: IntakeService;
  limiter: RateLimiter;
  config: Pick<IntakeConfig, 'rateLimit' | 'rateWindowSeconds'>;
  /** Whether intake serves `POST /tickets` too (false while the tickets module still registers its own). */
  single?: boolean;
}

/** The stored key: a client's own key, or the channel's message id (namespaced so the two never collide). */
function keyOf(clientKey: string | undefined, channel: string, messageId: string | undefined): string | null {
  if (clientKey) return `k:${clientKey}`;
  if (messageId) return `m:${channel}:${messageId}`;
  return null;
}

function toInput(body: Omit<BatchItem, 'idempotencyKey' | 'externalMessageId'> & object): NewTicketInput {
  const input = { ...body } as Record<string, unknown>;
  delete input.idempotencyKey;
  delete input.externalMessageId;
  return input as unknown as NewTicketInput;
}

/** An infrastructure failure of one item as a problem: overload and outages are 503s the client retries. */
function failureOf(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof QueueOverloadedError) {
    return new AppError('OVERLOADED', 'Intake is at capacity; retry with the same idempotency key', {
      retryAfter: 1,
    });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('UNAVAILABLE', 'The database is unavailable; retry with the same idempotency key', {
      retryAfter: 2,
    });
  }
  return new AppError('INTERNAL', 'An unexpected error occurred; it has been logged', { cause: error });
}

async function enforceRateLimit(
  app: FastifyInstance,
  { limiter, config }: IntakeRouteOptions,
): Promise<void> {
  if (config.rateLimit <= 0) return;
  app.addHook('preHandler', async (request) => {
    const actor = requireActor(request);
    const result = await limiter.hit(
      `intake:${actor.tenantId}:${actor.kind}:${actor.id}`,
      config.rateLimit,
      config.rateWindowSeconds,
    );
    if (!result.allowed) {
      throw new AppError(
        'RATE_LIMITED',
        `This token may send ${config.rateLimit} intake requests per ${config.rateWindowSeconds} s`,
        { retryAfter: result.retryAfterSeconds },
      );
    }
  });
  return Promise.resolve();
}

/**
 * Ticket intake: `POST /tickets` (one) and `POST /tickets/batch` (up to 500, a result per item). Both are
 * idempotent by key and group-committed (see intake.service.ts); both have `critical` priority, so they are
 * the last to be shed under overload.
 */
export const intakeRoutes: FastifyPluginAsyncTypebox<IntakeRouteOptions> = async (app, options) => {
  const { intake } = options;
  await enforceRateLimit(app, options);

  if (options.single !== false)
    app.post(
      '/tickets',
      {
        config: { permission: 'tickets:create', priority: 'critical' },
        schema: {
          tags: ['tickets'],
          summary: 'Create a ticket (idempotent with Idempotency-Key or externalMessageId)',
          description:
            'Answered after the ticket is committed. A retry with the same key gets the original answer and ' +
            'the header `Idempotent-Replayed: true`; the same key with a different body gets 409. 503 ' +
            '(OVERLOADED or UNAVAILABLE) and 429 carry Retry-After: retry with the same key.',
          headers: IdempotencyHeaders,
          body: IntakeTicketBody,
          response: { 201: TicketView, ...problems(400, 401, 403, 409, 429, 503) },
        },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const body = request.body;
        const key = keyOf(request.headers['idempotency-key'], body.channel, body.externalMessageId);
        let outcome: IntakeOutcome;
        try {
          outcome = await intake.submit(actor, toInput(body), key);
        } catch (error) {
          throw failureOf(error);
        }
        if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
        if (outcome.status >= 400) void reply.type('application/problem+json; charset=utf-8');
        else {
          const ticket = outcome.body as { id: string; version: number };
          void reply.header('etag', etagOf(ticket.version)).header('location', `${request.url}/${ticket.id}`);
        }
        // A stored answer is sent as it was first sent; the schema only shapes the 201 of a fresh ticket.
        return reply.status(outcome.status as 201).send(outcome.body as never);
      },
    );

  const validateItem = createValidatorCompiler()({
    schema: BatchItemSchema,
    httpPart: 'body',
    method: 'POST',
    url: '/api/v1/tickets/batch',
  }) as ((value: unknown) => boolean) & {
    errors?: { instancePath?: string; message?: string }[] | null;
  };

  app.post(
    '/tickets/batch',
    {
      config: { permission: 'tickets:create', priority: 'critical' },
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags: ['tickets'],
        summary: 'Create up to 500 tickets, with a result per item',
        description:
          'Always 200 when the batch itself was readable: each item has its own `status` (201 created, ' +
          '4xx refused with a problem document, 503 retry later) and optional `idempotencyKey`. A ' +
          'malformed or oversized item (over 64 KiB) is refused alone; the valid items are taken. 503 for ' +
          'the whole request only when no item could be written because of overload or an outage.',
        body: BatchBody,
        response: { 200: BatchResponse, ...problems(400, 401, 403, 413, 429, 503) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const instance = '/api/v1/tickets/batch';
      const pending = request.body.items.map(async (raw, index): Promise<IntakeOutcome> => {
        if (JSON.stringify(raw).length > MAX_ITEM_CHARS) {
          const error = new AppError(
            'PAYLOAD_TOO_LARGE',
            `Item ${index} is over ${MAX_ITEM_CHARS} characters`,
          );
          return { status: error.status, body: toProblem(error, instance), replayed: false };
        }
        if (!validateItem(raw)) {
          const errors = (validateItem.errors ?? []).map((issue) => ({
            in: 'body',
            path: `/items/${index}${issue.instancePath ?? ''}`,
            message: issue.message ?? 'is not valid',
          }));
          const error = new AppError('VALIDATION_FAILED', `Item ${index} is not valid`, {
            extra: { errors },
          });
          return { status: error.status, body: toProblem(error, instance), replayed: false };
        }
        const item = raw as BatchItem;
        return intake.submit(
          actor,
          toInput(item),
          keyOf(item.idempotencyKey, item.channel, item.externalMessageId),
        );
      });
      const settled = await Promise.allSettled(pending);
      const failures: AppError[] = [];
      const results = settled.map((entry, index) => {
        let outcome: IntakeOutcome;
        if (entry.status === 'fulfilled') outcome = entry.value;
        else {
          const failure = failureOf(entry.reason);
          if (failure.status >= 500) request.log.error({ err: entry.reason }, 'intake item failed');
          failures.push(failure);
          outcome = { status: failure.status, body: toProblem(failure, instance), replayed: false };
        }
        return outcome.status < 300
          ? {
              index,
              status: outcome.status,
              ticket: outcome.body,
              ...(outcome.replayed ? { replayed: true } : {}),
            }
          : {
              index,
              status: outcome.status,
              error: outcome.body as Record<string, unknown> as never,
              ...(outcome.replayed ? { replayed: true } : {}),
            };
      });
      if (failures.length === results.length && failures.every((f) => f.status === 503)) throw failures[0]!;
      const created = results.filter((r) => r.status === 201 && !r.replayed).length;
      const replayed = results.filter((r) => r.replayed).length;
      return reply.status(200).send({
        results,
        counts: { created, replayed, failed: results.length - created - replayed },
      });
    },
  );
};
