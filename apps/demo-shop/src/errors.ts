/** The demo shop's error codes, each mapped to an HTTP status once. Bodies: `{ error: { code, message } }`. */
export const SHOP_ERRORS = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVALID_TRANSITION: 409,
  SURGE_RUNNING: 409,
  REFUND_EXCEEDS_REFUNDABLE: 422,
  ORDER_NOT_PAID: 422,
  UNPROCESSABLE: 422,
  CHAOS_FAILURE: 503,
} as const;

export type ShopErrorCode = keyof typeof SHOP_ERRORS;

export class ShopApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ShopErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = SHOP_ERRORS[code];
  }
}
