/**
 * Every error PeakDesk answers with has a stable code; this table maps each code to its HTTP status and
 * title once (as Fastify's lib/errors.js does). Clients branch on `code`, never on `title` or `detail`.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  MALFORMED_CSV: { status: 400, title: 'The CSV could not be read' },
  INVALID_PATTERN: { status: 400, title: 'The pattern is not a valid regular expression' },
  UNSAFE_PATTERN: { status: 400, title: 'The pattern could take too long to match: simplify it' },
  INVALID_CURSOR: { status: 400, title: 'The pagination cursor is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication is required' },
  INVALID_CREDENTIALS: { status: 401, title: 'Email or password is wrong' },
  ACCOUNT_EXPIRED: { status: 401, title: 'This account has expired' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, title: 'The webhook signature is missing or wrong' },
  CSRF_FAILED: { status: 403, title: 'The CSRF token is missing or wrong' },
  FORBIDDEN: { status: 403, title: 'You may not do this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  TICKET_NOT_FOUND: { status: 404, title: 'Ticket not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  TEAM_NOT_FOUND: { status: 404, title: 'Team not found' },
  SKILL_NOT_FOUND: { status: 404, title: 'Skill not found' },
  CUSTOMER_NOT_FOUND: { status: 404, title: 'Customer not found' },
  TOKEN_NOT_FOUND: { status: 404, title: 'API token not found' },
  TENANT_NOT_FOUND: { status: 404, title: 'Tenant not found' },
  SHOP_NOT_FOUND: { status: 404, title: 'Shop connection not found' },
  APPROVAL_NOT_FOUND: { status: 404, title: 'Approval request not found' },
  CAMPAIGN_NOT_FOUND: { status: 404, title: 'Price-protection campaign not found' },
  DEPARTMENT_NOT_FOUND: { status: 404, title: 'Department not found' },
  TASK_NOT_FOUND: { status: 404, title: 'Task not found' },
  PORTAL_LINK_INVALID: { status: 401, title: 'This portal link is not valid' },
  PORTAL_LINK_EXPIRED: { status: 401, title: 'This portal link has expired: ask for a new one' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, title: 'The requested media type cannot be served' },
  CONFLICT: { status: 409, title: 'Conflict' },
  EMAIL_TAKEN: { status: 409, title: 'A user with this email already exists' },
  NAME_TAKEN: { status: 409, title: 'The name is already taken' },
  SLUG_TAKEN: { status: 409, title: 'The tenant slug is already taken' },
  TENANT_REQUIRED: { status: 409, title: 'This email belongs to several tenants: say which one' },
  MERGE_INVALID: { status: 409, title: 'These tickets cannot be merged' },
  TASK_TRANSITION_INVALID: { status: 409, title: 'The task cannot change that way' },
  TASK_CLOSED: { status: 409, title: 'The task is closed' },
  APPROVAL_DECIDED: { status: 409, title: 'The request was already decided the other way' },
  APPROVAL_SELF: { status: 403, title: 'You may not approve your own request' },
  COMPENSATION_UNSUPPORTED: { status: 409, title: 'The shop cannot grant this to the customer' },
  ORDER_NOT_LINKED: { status: 409, title: 'The ticket has no order in a connected shop' },
  RETURN_UNSUPPORTED: { status: 409, title: 'The shop cannot carry this return or exchange' },
  RETURN_REFUSED: { status: 409, title: 'The shop refused the return or exchange' },
  RETURN_LINES_INVALID: { status: 422, title: 'These order lines cannot be returned in these quantities' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'The idempotency key was used with a different request' },
  VERSION_MISMATCH: { status: 412, title: 'The resource changed since you read it' },
  PRECONDITION_REQUIRED: { status: 428, title: 'If-Match with the current version is required' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The content type is not supported' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  OVERLOADED: { status: 503, title: 'PeakDesk is overloaded, retry shortly' },
  UNAVAILABLE: { status: 503, title: 'A required service is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra members of the problem document (RFC 9457 extension members), e.g. `errors` or `retryAfter`. */
  readonly extra: Record<string, unknown> | undefined;
  /** Seconds, sent as a Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { extra?: Record<string, unknown>; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(detail ?? ERRORS[code].title, { cause: options.cause });
    this.code = code;
    this.status = ERRORS[code].status;
    this.extra = options.extra;
    this.retryAfter = options.retryAfter;
  }
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function toProblem(error: AppError, instance?: string): ProblemDocument {
  return {
    type: `https://peakdesk.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: ERRORS[error.code].title,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...error.extra,
  };
}
