import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems, Uuid } from '../../http/schemas.ts';
import { BREACHING_MINUTES, countQueues } from './queue-counts.ts';

const Count = Type.Union([Type.Integer(), Type.Null()]);

/** GET /queues/counts: the badges of the agent workspace's queue views. */
export const queueCountRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  app.get(
    '/queues/counts',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['tickets'],
        summary: 'Open tickets per workspace queue (mine, a team, unassigned, breaching soon), capped',
        description:
          `Within the caller's ticket scope; each count stops at \`cap\`. breaching: new/open tickets due ` +
          `within ${BREACHING_MINUTES} minutes or overdue. mine is null for a token without a user, team ` +
          'without teamId.',
        querystring: Type.Object({ teamId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            mine: Count,
            team: Count,
            unassigned: Type.Integer(),
            breaching: Type.Integer(),
            cap: Type.Integer(),
          }),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => countQueues(db, requireActor(request), request.query.teamId, now?.() ?? new Date()),
  );
};
