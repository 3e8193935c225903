import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { problems } from '../../http/schemas.ts';
import { importUsers } from './user-import.service.ts';

const RowResult = Type.Object({
  row: Type.Integer({ description: 'Spreadsheet row number; the header is row 1' }),
  status: Type.Union([Type.Literal('created'), Type.Literal('valid'), Type.Literal('error')]),
  email: Type.String(),
  userId: Type.Optional(Type.String()),
  initialPassword: Type.Optional(
    Type.String({ description: 'Generated for rows without a password; shown only in this response' }),
  ),
  error: Type.Optional(Type.Object({ code: Type.String(), detail: Type.String() })),
});

const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  summary: Type.Object({
    rows: Type.Integer(),
    created: Type.Integer(),
    valid: Type.Integer(),
    errors: Type.Integer(),
  }),
  rows: Type.Array(RowResult),
});

export const userImportRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: (() => Date) | undefined }> = async (
  app,
  { db, now = () => new Date() },
) => {
  // Registered in this plugin's scope only: no other route accepts CSV. The app's body limit applies.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post(
    '/users/import',
    {
      config: { permission: 'users:write' },
      schema: {
        tags: ['users'],
        summary: 'Create up to 5,000 users from CSV, with a result per row',
        description:
          'Send `text/csv` (or JSON `{"csv": "…"}`) with the header `name,email,role,teams,skills,expiresAt` ' +
          'and optionally `department` and `password`. teams: `;`-separated names; skills: `code:level;…`; ' +
          'expiresAt: a date (UTC midnight) or a date-time with offset. Every row is validated first; valid ' +
          'rows are then created together. Rows without a password get `initialPassword`, shown once.',
        querystring: Type.Object(
          { dryRun: Type.Boolean({ default: false, description: 'Validate only; create nothing' }) },
          { additionalProperties: false },
        ),
        body: Type.Union([
          Type.String({ description: 'text/csv' }),
          Type.Object({ csv: Type.String() }, { additionalProperties: false }),
        ]),
        response: { 200: ImportReport, ...problems(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      return importUsers(db, requireActor(request), typeof body === 'string' ? body : body.csv, {
        dryRun: request.query.dryRun,
        ip: request.ip,
        now: now(),
      });
    },
  );
};
