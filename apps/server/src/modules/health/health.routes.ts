import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isDatabaseReachable, type Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

export const healthRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    { config: { public: true }, schema: { tags: ['health'], summary: 'The database is reachable' } },
    async () => {
      if (!(await isDatabaseReachable(db)))
        throw new AppError('UNAVAILABLE', 'The database is not reachable', { retryAfter: 2 });
      return { status: 'ready' as const };
    },
  );
};
