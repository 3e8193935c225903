/**
 * Why a shop call failed, in terms a caller can act on: retry later (`UNAVAILABLE`, `TIMEOUT`,
 * `RATE_LIMITED`), give up (`NOT_FOUND`, `REJECTED`, `UNSUPPORTED`), or fix the request.
 */
export type ShopErrorCode =
  | 'NOT_FOUND'
  | 'UNSUPPORTED'
  /** The shop refused the action by its rules (amount above what is refundable, wrong after-sale state). */
  | 'REJECTED'
  /** The idempotency key was used before with a different request. */
  | 'IDEMPOTENCY_CONFLICT'
  | 'INVALID_REQUEST'
  | 'UNAUTHORIZED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'BAD_SIGNATURE'
  | 'STALE_EVENT';

const RETRYABLE: ReadonlySet<ShopErrorCode> = new Set(['RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT']);

export class ShopError extends Error {
  readonly code: ShopErrorCode;
  /** HTTP status from the shop, where there was one. */
  readonly status: number | undefined;
  /** The shop's own error code, kept for the audit trail. */
  readonly rawCode: string | undefined;

  constructor(
    code: ShopErrorCode,
    message: string,
    options: { status?: number; rawCode?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ShopError';
    this.code = code;
    this.status = options.status;
    this.rawCode = options.rawCode;
  }

  /** Worth retrying later with the same idempotency key (and counted by a circuit breaker). */
  get isRetryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
