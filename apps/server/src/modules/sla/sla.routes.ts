import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems, Uuid } from '../../http/schemas.ts';
import { SlaConfigService } from './sla-config.service.ts';

const tags = ['sla'];
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Hhmm = Type.String({ pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$' });
const Window = Type.Object({ start: Hhmm, end: Hhmm }, { additionalProperties: false });
const Hours = Type.Union([
  Type.Literal('always'),
  Type.Record(Type.String({ pattern: '^[0-6]$' }), Type.Array(Window, { maxItems: 8 })),
]);
const Holidays = Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai' });
const Minutes = Type.Integer({ minimum: 1, maximum: 525_600 });
const Target = Type.Object(
  {
    priority: Type.Union(['low', 'normal', 'high', 'urgent'].map((p) => Type.Literal(p))),
    minTier: Type.Integer({ minimum: 0, maximum: 10 }),
    firstResponseMinutes: Minutes,
    nextResponseMinutes: Minutes,
    resolutionMinutes: Minutes,
  },
  { additionalProperties: false },
);
const Ratio = Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 });

const CalendarView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  hours: Type.Unknown(),
  holidays: Type.Array(Type.String()),
  updatedAt: Type.String(),
});
const PolicyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  calendarId: Type.Union([Type.String(), Type.Null()]),
  warningRatio: Type.Number(),
  targets: Type.Array(Type.Unknown()),
  isDefault: Type.Boolean(),
  escalation: Type.Unknown(),
  updatedAt: Type.String(),
});

const CalendarBody = { name: Name, timeZone: TimeZone, hours: Hours, holidays: Type.Optional(Holidays) };
const PolicyBody = {
  name: Name,
  calendarId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  warningRatio: Type.Optional(Ratio),
  targets: Type.Array(Target, { maxItems: 60 }),
  isDefault: Type.Optional(Type.Boolean()),
  escalation: Type.Optional(
    Type.Object(
      {
        teamId: Type.Optional(Uuid),
        assigneeId: Type.Optional(Uuid),
        raisePriority: Type.Optional(Type.Boolean()),
        tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 10 })),
      },
      { additionalProperties: false },
    ),
  ),
};
const partial = <T extends Record<string, Parameters<typeof Type.Optional>[0]>>(props: T) =>
  Type.Object(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as {
      [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>>;
    },
    { additionalProperties: false, minProperties: 1 },
  );

/** Business calendars and SLA policies: /sla/calendars, /sla/policies (sla:manage). */
export const slaRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const sla = new SlaConfigService(db, now);
  const config = { permission: 'sla:manage' as const };

  app.get(
    '/sla/calendars',
    {
      config,
      schema: {
        tags,
        summary: 'Business calendars',
        response: { 200: Type.Object({ items: Type.Array(CalendarView) }), ...problems(401, 403) },
      },
    },
    async (request) => sla.listCalendars(requireActor(request)),
  );
  app.post(
    '/sla/calendars',
    {
      config,
      schema: {
        tags,
        summary: 'Create a business calendar (hours "always" = 24/7)',
        body: Type.Object(CalendarBody, { additionalProperties: false }),
        response: { 201: CalendarView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sla.createCalendar(requireActor(request), request.body, request.ip)),
  );
  app.patch(
    '/sla/calendars/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a business calendar',
        params: IdParams,
        body: partial(CalendarBody),
        response: { 200: CalendarView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => sla.updateCalendar(requireActor(request), request.params.id, request.body, request.ip),
  );
  app.delete(
    '/sla/calendars/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete a calendar no policy uses',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await sla.deleteCalendar(requireActor(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/sla/policies',
    {
      config,
      schema: {
        tags,
        summary: 'SLA policies',
        response: { 200: Type.Object({ items: Type.Array(PolicyView) }), ...problems(401, 403) },
      },
    },
    async (request) => sla.listPolicies(requireActor(request)),
  );
  app.post(
    '/sla/policies',
    {
      config,
      schema: {
        tags,
        summary: 'Create an SLA policy: targets in business minutes by priority and minimum customer tier',
        body: Type.Object(PolicyBody, { additionalProperties: false }),
        response: { 201: PolicyView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await sla.createPolicy(requireActor(request), request.body, request.ip)),
  );
  app.patch(
    '/sla/policies/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an SLA policy (applies to tickets routed after the change)',
        params: IdParams,
        body: partial(PolicyBody),
        response: { 200: PolicyView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => sla.updatePolicy(requireActor(request), request.params.id, request.body, request.ip),
  );
  app.delete(
    '/sla/policies/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Delete an SLA policy',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await sla.deletePolicy(requireActor(request), request.params.id, request.ip);
      return reply.status(204).send(null);
    },
  );
};
