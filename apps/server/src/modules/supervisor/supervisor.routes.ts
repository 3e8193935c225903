import { Type, type FastifyPluginAsyncTypebox, type TSchema } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems, Uuid } from '../../http/schemas.ts';
import { capacityHooks } from '../assignment/capacity-hooks.ts';
import { ticketEvent } from '../live/live-events.ts';
import { TicketService } from '../tickets/ticket.service.ts';
import { bulkReassign } from './bulk-reassign.service.ts';
import { FloorStatsService, isTimeZone } from './floor-stats.service.ts';

const tags = ['supervisor'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Duration = Type.Object({
  count: Type.Integer(),
  medianSeconds: Nullable(Type.Integer()),
  p90Seconds: Nullable(Type.Integer()),
});
const FloorView = Type.Object({
  generatedAt: Type.String(),
  timeZone: Type.String(),
  arrivals: Type.Object({
    minutes: Type.Array(Type.String()),
    series: Type.Array(Type.Object({ category: Type.String(), counts: Type.Array(Type.Integer()) })),
  }),
  backlog: Type.Array(
    Type.Object({
      teamId: Nullable(Type.String()),
      teamName: Nullable(Type.String()),
      open: Type.Integer(),
      unassigned: Type.Integer(),
      waiting: Type.Integer(),
      atRisk: Type.Integer(),
      breached: Type.Integer(),
    }),
  ),
  sla: Type.Object({ atRisk: Type.Integer(), breached: Type.Integer() }),
  agents: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      role: Type.String(),
      presence: Type.String(),
      capacity: Type.Integer(),
      load: Type.Integer(),
    }),
  ),
  agentsOnline: Type.Integer(),
  firstResponse: Duration,
  resolution: Duration,
});

const BulkBody = Type.Object(
  {
    ticketIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }),
    assigneeId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
const BulkResult = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('updated'), Type.Literal('unchanged'), Type.Literal('failed')]),
  version: Type.Optional(Type.Integer()),
  error: Type.Optional(
    Type.Object({ code: Type.String(), status: Type.Integer(), detail: Type.Optional(Type.String()) }),
  ),
});

/** The supervisor's floor: live numbers, and reassigning tickets in bulk. */
export const supervisorRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const stats = new FloorStatsService(db, now);
  const hooks = capacityHooks(db, now ?? (() => new Date()), app.log, app.live);
  const tickets = new TicketService(db, now, hooks.capacityFreed);

  app.get(
    '/stats/floor',
    {
      config: { permission: 'floor:manage' },
      schema: {
        tags,
        summary: 'The floor now: arrivals per minute by category, backlog by team, SLA risk, agents, times',
        description:
          'Arrivals cover the last 60 minutes (one count per minute, oldest first). First-response and ' +
          'resolution times (seconds, median and p90) are for today in timeZone (IANA, default Asia/Shanghai). ' +
          'Cached per tenant for 5 s.',
        querystring: Type.Object(
          { timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: FloorView, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const timeZone = request.query.timeZone ?? 'Asia/Shanghai';
      if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(timeZone) || !isTimeZone(timeZone)) {
        throw new AppError('VALIDATION_FAILED', 'timeZone must be an IANA time zone such as Asia/Shanghai');
      }
      try {
        return await stats.get(actor.tenantId, timeZone);
      } catch (error) {
        // A zone the runtime knows but PostgreSQL does not.
        if ((error as { code?: string }).code === '22023') {
          throw new AppError('VALIDATION_FAILED', `PostgreSQL does not know the time zone ${timeZone}`);
        }
        throw error;
      }
    },
  );

  app.post(
    '/tickets/bulk',
    {
      config: { permission: 'floor:manage' },
      schema: {
        tags,
        summary: 'Reassign up to 200 tickets (assignee and/or team); a result per ticket',
        description:
          'Each ticket changes in its own transaction exactly as PATCH /tickets/:id would (scope, history, ' +
          'SLA, capacity hand-outs); one failing ticket does not stop the others.',
        body: BulkBody,
        response: {
          200: Type.Object({
            results: Type.Array(BulkResult),
            summary: Type.Object({
              updated: Type.Integer(),
              unchanged: Type.Integer(),
              failed: Type.Integer(),
            }),
          }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { ticketIds, assigneeId, teamId } = request.body;
      if (assigneeId === undefined && teamId === undefined) {
        throw new AppError('VALIDATION_FAILED', 'Give assigneeId, teamId or both');
      }
      const change = {
        ...(assigneeId !== undefined ? { assigneeId } : {}),
        ...(teamId !== undefined ? { teamId } : {}),
      };
      const { results, changed } = await bulkReassign(db, tickets, actor, ticketIds, change);
      if (changed.length) app.live.publish(actor.tenantId, ticketEvent('ticket.updated', changed, now?.()));
      const count = (s: string) => results.filter((r) => r.status === s).length;
      return {
        results,
        summary: { updated: count('updated'), unchanged: count('unchanged'), failed: count('failed') },
      };
    },
  );
};
