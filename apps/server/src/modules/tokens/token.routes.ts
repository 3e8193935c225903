import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems } from '../../http/schemas.ts';
import type { TokenService } from './token.service.ts';

const TokenRoleSchema = Type.Union(
  ['admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator', 'integration'].map((r) =>
    Type.Literal(r),
  ),
);
const DepartmentSchema = Type.Union(['warehouse', 'logistics', 'purchasing'].map((d) => Type.Literal(d)));

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  department: Type.Union([Type.String(), Type.Null()]),
  userId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

export const tokenRoutes: FastifyPluginAsyncTypebox<{ tokens: TokenService }> = async (app, { tokens }) => {
  app.post(
    '/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the token is shown once, in this response',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            role: TokenRoleSchema,
            department: Type.Optional(DepartmentSchema),
            userId: Type.Optional(Type.String({ format: 'uuid' })),
            expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ token: Type.String(), apiToken: TokenView }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const body = request.body;
      const { token, view } = await tokens.create(
        actor,
        {
          tenantId: actor.tenantId,
          name: body.name,
          role: body.role,
          department: body.department ?? null,
          userId: body.userId ?? null,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
        },
        request.ip,
      );
      return reply.status(201).send({ token, apiToken: view });
    },
  );

  app.get(
    '/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'List API tokens (never their secrets)',
        response: { 200: Type.Object({ items: Type.Array(TokenView) }) },
      },
    },
    async (request) => ({ items: await tokens.list(requireActor(request).tenantId) }),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token at once',
        params: IdParams,
        response: { 200: TokenView, ...problems(401, 403, 404) },
      },
    },
    async (request) => tokens.revoke(requireActor(request), request.params.id, request.ip),
  );
};
