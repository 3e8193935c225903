import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Page, problems } from '../../http/schemas.ts';
import { capacityHooks } from '../assignment/capacity-hooks.ts';
import type { LiveEvent } from '../live/live-events.ts';
import { userImportRoutes } from './user-import.routes.ts';
import {
  CreateUserBody,
  ListUsersQuery,
  PasswordSchema,
  PresenceSchema,
  SkillLevelSchema,
  UpdateUserBody,
  UserView,
} from './user.schemas.ts';
import { UserService } from './user.service.ts';

const tags = ['users'];
const toDate = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export const userRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const users = new UserService(db, now);
  const hooks = capacityHooks(db, now ?? (() => new Date()), app.log, app.live);
  const presenceEvent = (view: { id: string; presence: string }): LiveEvent => ({
    type: 'agent.presence',
    userId: view.id,
    presence: view.presence,
    at: (now?.() ?? new Date()).toISOString(),
  });
  await app.register(userImportRoutes, { db, now });

  app.post(
    '/users',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Create a user; without a password it cannot sign in until one is set',
        body: CreateUserBody,
        response: { 201: UserView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const view = await users.create(
        requireActor(request),
        {
          ...body,
          role: body.role,
          department: body.department ?? null,
          expiresAt: toDate(body.expiresAt) ?? null,
        },
        request.ip,
      );
      return reply.status(201).send(view);
    },
  );

  app.get(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'List users in creation order, with filters',
        querystring: ListUsersQuery,
        response: { 200: Page(UserView), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { role, ...rest } = request.query;
      return users.list(requireActor(request), { ...rest, ...(role ? { role: role } : {}) });
    },
  );

  app.get(
    '/users/me',
    {
      config: { permission: 'users:self' },
      schema: { tags, summary: 'Your own account', response: { 200: UserView, ...problems(401, 403) } },
    },
    async (request) => users.me(requireActor(request)),
  );

  app.patch(
    '/users/me/presence',
    {
      config: { permission: 'users:self' },
      schema: {
        tags,
        summary: 'Set your own presence (online, away, offline)',
        body: Type.Object({ presence: PresenceSchema }, { additionalProperties: false }),
        response: { 200: UserView, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const presence = request.body.presence as 'online' | 'away' | 'offline';
      const view = await users.setPresence(actor, presence);
      app.live.publish(actor.tenantId, presenceEvent(view));
      // After the commit: going offline hands back untouched tickets, coming online fills up from the queue.
      await hooks.presenceChanged(actor.tenantId, view.id, presence);
      return view;
    },
  );

  app.patch(
    '/users/:id/presence',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Set an agent’s presence (supervisors: agents and outsiders; admins: anyone)',
        description: 'Offline hands back their untouched tickets; online fills them up from the queue.',
        params: IdParams,
        body: Type.Object({ presence: PresenceSchema }, { additionalProperties: false }),
        response: { 200: UserView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const presence = request.body.presence as 'online' | 'away' | 'offline';
      const view = await users.setPresenceOf(actor, request.params.id, presence, request.ip);
      app.live.publish(actor.tenantId, presenceEvent(view));
      await hooks.presenceChanged(actor.tenantId, view.id, presence);
      return view;
    },
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'One user',
        params: IdParams,
        response: { 200: UserView, ...problems(401, 403, 404) },
      },
    },
    async (request) => users.get(requireActor(request), request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Update a user (email, name, role, department, capacity, expiresAt)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const body = request.body;
      const actor = requireActor(request);
      const view = await users.update(
        actor,
        request.params.id,
        {
          ...body,
          role: body.role,
          department: body.department,
          expiresAt: toDate(body.expiresAt),
        },
        request.ip,
      );
      // A capacity set (likely raised) after the commit: hand out waiting tickets up to it.
      if (body.capacity !== undefined) {
        app.live.publish(actor.tenantId, presenceEvent(view));
        await hooks.capacityFreed(actor.tenantId, request.params.id);
      }
      return view;
    },
  );

  app.patch(
    '/users/:id/password',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: "Set a user's password; the user's sessions end",
        params: IdParams,
        body: Type.Object({ password: PasswordSchema }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.setPassword(requireActor(request), request.params.id, request.body.password, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/users/:id/skills',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: "Replace a user's skills and levels (1–5)",
        params: IdParams,
        body: Type.Array(SkillLevelSchema, { maxItems: 200 }),
        response: { 200: UserView, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => users.setSkills(requireActor(request), request.params.id, request.body, request.ip),
  );

  app.post(
    '/users/:id/deactivate',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Deactivate a user at once: sessions end, API tokens are revoked, login is refused',
        params: IdParams,
        response: { 200: UserView, ...problems(401, 403, 404) },
      },
    },
    async (request) => users.deactivate(requireActor(request), request.params.id, request.ip),
  );

  app.post(
    '/users/:id/reactivate',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: 'Reactivate a user (its revoked API tokens stay revoked)',
        params: IdParams,
        response: { 200: UserView, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => users.reactivate(requireActor(request), request.params.id, request.ip),
  );
};
