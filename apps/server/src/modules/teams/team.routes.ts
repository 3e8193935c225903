import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Limit, Page, problems, Uuid } from '../../http/schemas.ts';
import { TeamService } from './team.service.ts';

const tags = ['teams'];
const TeamName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });

const summaryFields = {
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  isActive: Type.Boolean(),
  memberCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
};
const TeamSummary = Type.Object(summaryFields);
const TeamView = Type.Object({
  ...summaryFields,
  members: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      role: Type.String(),
      isActive: Type.Boolean(),
    }),
  ),
});
const MemberParams = Type.Object({ id: Uuid, userId: Uuid });

export const teamRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const teams = new TeamService(db, now);

  app.post(
    '/teams',
    {
      config: { permission: 'teams:write' },
      schema: {
        tags,
        summary: 'Create a team (names are unique, ignoring case)',
        body: Type.Object(
          { name: TeamName, description: Type.Optional(Description) },
          { additionalProperties: false },
        ),
        response: { 201: TeamView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await teams.create(requireActor(request), request.body, request.ip)),
  );

  app.get(
    '/teams',
    {
      config: { permission: 'teams:read' },
      schema: {
        tags,
        summary: 'List teams',
        querystring: Type.Object(
          {
            isActive: Type.Optional(Type.Boolean()),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(TeamSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => teams.list(requireActor(request), request.query),
  );

  app.get(
    '/teams/:id',
    {
      config: { permission: 'teams:read' },
      schema: {
        tags,
        summary: 'One team with its members',
        params: IdParams,
        response: { 200: TeamView, ...problems(401, 403, 404) },
      },
    },
    async (request) => teams.get(requireActor(request), request.params.id),
  );

  app.patch(
    '/teams/:id',
    {
      config: { permission: 'teams:write' },
      schema: {
        tags,
        summary: 'Rename a team or change its description',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(TeamName), description: Type.Optional(Description) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: TeamView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => teams.update(requireActor(request), request.params.id, request.body, request.ip),
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/teams/:id/${action}`,
      {
        config: { permission: 'teams:write' },
        schema: {
          tags,
          summary: `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} a team (members are kept)`,
          params: IdParams,
          response: { 200: TeamView, ...problems(401, 403, 404) },
        },
      },
      async (request) => teams.setActive(requireActor(request), request.params.id, isActive, request.ip),
    );
  }

  app.put(
    '/teams/:id/members',
    {
      config: { permission: 'teams:write' },
      schema: {
        tags,
        summary: "Replace a team's members",
        params: IdParams,
        body: Type.Object({ userIds: Type.Array(Uuid, { maxItems: 5000 }) }, { additionalProperties: false }),
        response: { 200: TeamView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      teams.setMembers(requireActor(request), request.params.id, request.body.userIds, request.ip),
  );

  app.post(
    '/teams/:id/members',
    {
      config: { permission: 'teams:write' },
      schema: {
        tags,
        summary: 'Add one member to a team',
        params: IdParams,
        body: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        response: { 200: TeamView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) =>
      teams.addMember(requireActor(request), request.params.id, request.body.userId, request.ip),
  );

  app.delete(
    '/teams/:id/members/:userId',
    {
      config: { permission: 'teams:write' },
      schema: {
        tags,
        summary: 'Remove one member from a team',
        params: MemberParams,
        response: { 200: TeamView, ...problems(401, 403, 404) },
      },
    },
    async (request) =>
      teams.removeMember(requireActor(request), request.params.id, request.params.userId, request.ip),
  );
};
