import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, problems } from '../../http/schemas.ts';
import { DepartmentService } from './department.service.ts';
import { DepartmentBody, DepartmentPatch, DepartmentView } from './task.schemas.ts';

const tags = ['tasks'];

/** /departments: read by everyone who works tasks, managed by admins and supervisors. */
export const departmentRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const departments = new DepartmentService(db, now);

  app.get(
    '/departments',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary: 'Departments (collaborators: only the ones they belong to or lead)',
        response: { 200: Type.Object({ items: Type.Array(DepartmentView) }), ...problems(401, 403) },
      },
    },
    async (request) => departments.list(requireActor(request)),
  );
  app.post(
    '/departments',
    {
      config: { permission: 'departments:manage' },
      schema: {
        tags,
        summary: 'Create a department: kind, lead, members, OLA in business minutes, calendar',
        body: DepartmentBody,
        response: { 201: DepartmentView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await departments.create(requireActor(request), request.body, request.ip)),
  );
  app.get(
    '/departments/:id',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary: 'A department',
        params: IdParams,
        response: { 200: DepartmentView, ...problems(401, 403, 404) },
      },
    },
    async (request) => departments.get(requireActor(request), request.params.id),
  );
  app.patch(
    '/departments/:id',
    {
      config: { permission: 'departments:manage' },
      schema: {
        tags,
        summary: 'Change a department (memberIds replaces the members)',
        params: IdParams,
        body: DepartmentPatch,
        response: { 200: DepartmentView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => departments.update(requireActor(request), request.params.id, request.body, request.ip),
  );
};
