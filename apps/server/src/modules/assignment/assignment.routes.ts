import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems } from '../../http/schemas.ts';
import { AssignmentService } from './assignment.service.ts';

/** POST /tickets/next: an agent pulls the most urgent, then oldest, waiting ticket of their teams. */
export const assignmentRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const assignment = new AssignmentService(db, now, app.live);

  app.post(
    '/tickets/next',
    {
      config: { permission: 'tickets:update' },
      schema: {
        tags: ['tickets'],
        summary: 'Take the next waiting ticket (most urgent, then oldest) within your capacity',
        response: {
          200: Type.Object({
            ticketId: Type.Union([Type.String(), Type.Null()]),
            status: Type.Union([
              Type.Literal('assigned'),
              Type.Literal('at_capacity'),
              Type.Literal('queue_empty'),
            ]),
          }),
          ...problems(401, 403),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!actor.userId) throw new AppError('FORBIDDEN', 'Only a user can take tickets');
      const outcome = await assignment.pullNextTicket(actor.tenantId, actor.userId);
      if (outcome.status === 'not_an_agent')
        throw new AppError('FORBIDDEN', 'Only an active user can take tickets');
      return { ticketId: outcome.status === 'assigned' ? outcome.ticketId : null, status: outcome.status };
    },
  );
};
