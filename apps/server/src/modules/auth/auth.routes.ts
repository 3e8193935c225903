import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireActor } from '../../http/authenticate.ts';
import { permissionsOf } from '../access/permissions.ts';
import { problems } from '../../http/schemas.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './credentials.ts';
import type { AuthService } from './auth.service.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    tenant: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 63,
        description: 'Tenant slug, needed only when the email belongs to several tenants',
      }),
    ),
  },
  { additionalProperties: false },
);

const Session = Type.Object({
  csrfToken: Type.String({ description: 'Send it as X-CSRF-Token on every state-changing call' }),
  expiresAt: Type.String({ format: 'date-time' }),
  tenantId: Type.String(),
  user: Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: Type.String() }),
});

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; secureCookies: boolean }> = async (
  app,
  { auth, secureCookies },
) => {
  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets an HttpOnly session cookie',
        body: LoginBody,
        response: { 200: Session, ...problems(400, 401, 409, 429) },
      },
    },
    async (request, reply) => {
      const result = await auth.login({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      const cookie = {
        path: '/',
        sameSite: 'lax' as const,
        secure: secureCookies,
        expires: result.expiresAt,
      };
      void reply.setCookie(SESSION_COOKIE, result.cookieValue, { ...cookie, httpOnly: true });
      // Readable by the console's JavaScript, which echoes it in the X-CSRF-Token header.
      void reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...cookie, httpOnly: false });
      return {
        csrfToken: result.csrfToken,
        expiresAt: result.expiresAt.toISOString(),
        tenantId: result.tenantId,
        user: result.user,
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out and end the session',
        response: { 204: Type.Null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await auth.logout(cookie, actor, request.ip);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Who is signed in', response: { ...problems(401) } },
    },
    async (request) => {
      const actor = requireActor(request);
      return {
        kind: actor.kind,
        id: actor.id,
        userId: actor.userId,
        tenantId: actor.tenantId,
        role: actor.role,
        department: actor.department,
        teamIds: actor.teamIds,
        permissions: permissionsOf(actor.role),
      };
    },
  );
};
