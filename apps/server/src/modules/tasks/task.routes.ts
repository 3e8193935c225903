import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Page, problems } from '../../http/schemas.ts';
import { TaskService } from './task.service.ts';
import {
  NewTaskBody,
  PageQuery,
  TaskMessageBody,
  TaskMessageView,
  TaskPatch,
  TaskQuerySchema,
  TaskView,
} from './task.schemas.ts';

const tags = ['tasks'];

/**
 * Department tasks: a ticket's tasks, the department queues, status/owner changes, claiming, and the thread.
 * Registered in this order on purpose: a task exists before its thread route is walked by the tests.
 */
export const taskRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const tasks = new TaskService(db, now);

  app.post(
    '/tickets/:id/tasks',
    {
      config: { permission: 'tasks:create' },
      schema: {
        tags,
        summary:
          'Ask a department for something on this ticket; due by the department’s OLA unless dueAt is given',
        params: IdParams,
        body: NewTaskBody,
        response: { 201: TaskView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await tasks.create(requireActor(request), request.params.id, request.body)),
  );
  app.get(
    '/tickets/:id/tasks',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary: 'A ticket’s tasks that you may see, oldest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(TaskView) }), ...problems(401, 403, 404) },
      },
    },
    async (request) => tasks.listForTicket(requireActor(request), request.params.id),
  );
  app.get(
    '/tasks',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary:
          'Task queues: by department, status (repeat it), mine, escalated; newest first, keyset pages',
        querystring: TaskQuerySchema,
        response: { 200: Page(TaskView), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, ...rest } = request.query;
      return tasks.list(requireActor(request), { ...rest, limit: limit ?? 50 });
    },
  );
  app.get(
    '/tasks/:id',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary: 'A task',
        params: IdParams,
        response: { 200: TaskView, ...problems(401, 403, 404) },
      },
    },
    async (request) => tasks.get(requireActor(request), request.params.id),
  );
  app.patch(
    '/tasks/:id',
    {
      config: { permission: 'tasks:work' },
      schema: {
        tags,
        summary: 'Change a task’s status or owner (department members; the ticket’s side may cancel)',
        params: IdParams,
        body: TaskPatch,
        response: { 200: TaskView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => tasks.change(requireActor(request), request.params.id, request.body),
  );
  app.post(
    '/tasks/:id/claim',
    {
      config: { permission: 'tasks:work' },
      schema: {
        tags,
        summary: 'Take the task yourself (a member of its department); an open task starts',
        params: IdParams,
        response: { 200: TaskView, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => tasks.claim(requireActor(request), request.params.id),
  );
  app.post(
    '/tasks/:id/messages',
    {
      config: { permission: 'tasks:work' },
      schema: {
        tags,
        summary: 'Post in the task’s thread (the department and the ticket’s agents)',
        params: IdParams,
        body: TaskMessageBody,
        response: { 201: TaskMessageView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await tasks.addMessage(requireActor(request), request.params.id, request.body.body)),
  );
  app.get(
    '/tasks/:id/messages',
    {
      config: { permission: 'tasks:read' },
      schema: {
        tags,
        summary: 'The task’s thread, oldest first',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(TaskMessageView), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      return tasks.listMessages(requireActor(request), request.params.id, {
        limit: limit ?? 100,
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },
  );
};
