import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import { Limit, Page, problems, Uuid } from '../../http/schemas.ts';
import { listAudit } from './audit.repository.ts';

const AuditEntry = Type.Object({
  id: Type.String(),
  actorType: Type.String({ description: 'user, token, system or anonymous' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'e.g. user.deactivated, user.imported, auth.login_failed' }),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log of security and admin actions, newest first',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            actorId: Type.Optional(Uuid),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(AuditEntry), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { action, actorId, cursor, limit } = request.query;
      const before = parseIdCursor(cursor);
      const rows = await listAudit(db, requireActor(request).tenantId, {
        ...(action ? { action } : {}),
        ...(actorId ? { actorId } : {}),
        ...(before ? { before } : {}),
        limit: limit + 1,
      });
      const page = pageOf(rows, limit);
      return {
        items: page.items.map((row) => ({
          id: row.id,
          actorType: row.actorType,
          actorId: row.actorId,
          action: row.action,
          targetType: row.targetType,
          targetId: row.targetId,
          ip: row.ip,
          details: row.details,
          createdAt: row.createdAt.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
