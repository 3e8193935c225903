import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Limit, Page, problems } from '../../http/schemas.ts';
import { SkillService } from './skill.service.ts';

const tags = ['skills'];
const KindSchema = Type.Union(
  ['category', 'language', 'vip', 'channel', 'other'].map((k) => Type.Literal(k)),
);
const SkillName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const SkillView = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  isActive: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const skillRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const skills = new SkillService(db, now);

  app.post(
    '/skills',
    {
      config: { permission: 'skills:write' },
      schema: {
        tags,
        summary: 'Create a skill; its code is unique and never changes',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z0-9_.:-]{1,64}$', description: 'e.g. refund, lang:en' }),
            name: SkillName,
            kind: Type.Optional(KindSchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: SkillView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await skills.create(requireActor(request), request.body, request.ip)),
  );

  app.get(
    '/skills',
    {
      config: { permission: 'skills:read' },
      schema: {
        tags,
        summary: 'List skills',
        querystring: Type.Object(
          {
            kind: Type.Optional(KindSchema),
            isActive: Type.Optional(Type.Boolean()),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(SkillView), ...problems(400, 401, 403) },
      },
    },
    async (request) => skills.list(requireActor(request), request.query),
  );

  app.get(
    '/skills/:id',
    {
      config: { permission: 'skills:read' },
      schema: {
        tags,
        summary: 'One skill',
        params: IdParams,
        response: { 200: SkillView, ...problems(401, 403, 404) },
      },
    },
    async (request) => skills.get(requireActor(request), request.params.id),
  );

  app.patch(
    '/skills/:id',
    {
      config: { permission: 'skills:write' },
      schema: {
        tags,
        summary: "Change a skill's name or kind",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(SkillName), kind: Type.Optional(KindSchema) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: SkillView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => skills.update(requireActor(request), request.params.id, request.body, request.ip),
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/skills/:id/${action}`,
      {
        config: { permission: 'skills:write' },
        schema: {
          tags,
          summary: `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} a skill (user levels are kept)`,
          params: IdParams,
          response: { 200: SkillView, ...problems(401, 403, 404) },
        },
      },
      async (request) =>
        skills.update(requireActor(request), request.params.id, { isActive }, request.ip, `skill.${action}d`),
    );
  }
};
