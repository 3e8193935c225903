import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { can, type Actor, type Permission } from '../modules/access/permissions.ts';
import type { AuthService } from '../modules/auth/auth.service.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../modules/auth/credentials.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** The permission a route needs. Routes without one must say `public: true`. */
    permission?: Permission;
    public?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The acting principal of a request; throws 401 when the route needs one and there is none. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

/**
 * Authenticates every request (Bearer API token, or the session cookie with a CSRF header on state-changing
 * calls) and enforces the route's permission before the handler runs. A route that declares neither a
 * permission nor `public: true` is refused, so forgetting one fails closed.
 */
export function registerAuthentication(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (request) => {
    if (request.is404) return;
    const config = request.routeOptions.config;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      request.actor = await auth.authenticateToken(authorization.slice(7).trim());
      if (!request.actor && !config.public)
        throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const session = await auth.authenticateSession(cookie);
        if (session) {
          if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
            throw new AppError('CSRF_FAILED', `Send the session's CSRF token in the ${CSRF_HEADER} header`);
          }
          request.actor = session.actor;
        }
      }
    }
    if (config.public) return;
    if (!request.actor) throw new AppError('UNAUTHENTICATED');
    if (!config.permission) throw new AppError('FORBIDDEN', 'This route declares no permission');
    if (!can(request.actor, config.permission)) {
      throw new AppError('FORBIDDEN', `The ${request.actor.role} role may not use ${config.permission}`);
    }
  });
}
