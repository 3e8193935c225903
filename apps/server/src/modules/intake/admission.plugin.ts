import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { sendProblem } from '../../http/problem.plugin.ts';
import type { AdmissionController } from './admission.ts';
import { type Priority } from './admission.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Who is refused first when the process is overloaded: `low` (reports, exports) before `normal` before
     * `critical` (ticket intake, agent replies). Routes without one are `normal`.
     */
    priority?: Priority;
    /** A stream that stays open (live events): bounded by its own limits, never holding an admission slot. */
    longLived?: boolean;
  }
}

const ADMITTED = Symbol('peakdesk.admitted');

type AdmittedRequest = FastifyRequest & { [ADMITTED]?: boolean };

/**
 * Bounds the requests this process works on at once (see admission.ts). Runs first of all hooks, before
 * authentication, so a refused request costs almost nothing. Health probes are never refused: an overloaded
 * node is busy, not broken.
 */
export function registerAdmission(app: FastifyInstance, controller: AdmissionController): void {
  app.addHook('onRequest', (request: AdmittedRequest, reply, done) => {
    if (request.url === '/healthz' || request.url === '/readyz') return done();
    if (request.routeOptions.config.longLived) return done();
    const priority = request.routeOptions.config.priority ?? 'normal';
    const admission = controller.tryAdmit(priority);
    if (!admission.admitted) {
      sendProblem(
        reply,
        request,
        new AppError('OVERLOADED', `Too much work in flight; ${priority}-priority requests wait`, {
          retryAfter: admission.retryAfterSeconds,
        }),
      );
      return;
    }
    request[ADMITTED] = true;
    done();
  });
  const release = (request: AdmittedRequest) => {
    if (request[ADMITTED]) {
      request[ADMITTED] = false;
      controller.release();
    }
  };
  app.addHook('onResponse', (request: AdmittedRequest, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request: AdmittedRequest, done) => {
    release(request);
    done();
  });
}
