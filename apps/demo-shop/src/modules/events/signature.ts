import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-demoshop-signature';
export const TIMESTAMP_HEADER = 'x-demoshop-timestamp';
export const EVENT_ID_HEADER = 'x-demoshop-event-id';
export const EVENT_TYPE_HEADER = 'x-demoshop-event-type';

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<raw body>`. The timestamp (unix seconds, sent in
 * `X-DemoShop-Timestamp`) is inside the signed text so that a captured request cannot be replayed later with
 * a fresh timestamp; receivers reject timestamps more than five minutes away from their clock.
 */
export function signPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

export function isValidSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
  signature: string,
): boolean {
  const expected = Buffer.from(signPayload(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
