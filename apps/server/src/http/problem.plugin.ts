import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, toProblem, type ErrorCode } from '../errors.ts';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fromFastifyError(error: FastifyError): AppError {
  if (error.validation) {
    const issues = (error.validation as ValidationIssue[]).map((issue) => ({
      in: error.validationContext ?? 'body',
      path: issue.instancePath || '/',
      message: issue.message ?? 'is not valid',
      ...(issue.params?.allowedValues ? { allowed: issue.params.allowedValues } : {}),
    }));
    return new AppError('VALIDATION_FAILED', error.message, { extra: { errors: issues } });
  }
  const byFastifyCode: Partial<Record<string, ErrorCode>> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
    FST_ERR_BAD_URL: 'VALIDATION_FAILED',
    FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
  };
  const mapped = error.code ? byFastifyCode[error.code] : undefined;
  if (mapped) return new AppError(mapped, error.message);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError('MALFORMED_JSON', error.message);
  }
  if (error.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', error.message);
  if (error.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', error.message);
  }
  return new AppError('INTERNAL', 'An unexpected error occurred; it has been logged', { cause: error });
}

/** A pg error that means the database is unreachable or restarting: answer 503 so clients retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code?.startsWith('08') === true || // connection_exception class
    code === '57P01' || // admin_shutdown
    code === '57P02' ||
    code === '57P03' || // cannot_connect_now
    code === '53300' || // too_many_connections
    /Connection terminated|timeout exceeded when trying to connect|not queryable/i.test(error.message)
  );
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  if (error.retryAfter !== undefined) void reply.header('retry-after', String(error.retryAfter));
  return reply
    .status(error.status)
    .type('application/problem+json; charset=utf-8')
    .send(toProblem(error, request.url.split('?')[0]));
}

/** Every error leaves as RFC 9457 problem+json with a stable `code`. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (isDatabaseUnavailable(error))
      appError = new AppError('UNAVAILABLE', 'The database is unavailable', { retryAfter: 2 });
    else appError = fromFastifyError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      request,
      new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]} does not exist`),
    ),
  );
}
