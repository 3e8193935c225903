import { createHash } from 'node:crypto';

/**
 * Idempotency for intake: a key (the `Idempotency-Key` header, or a channel's own message id) names one
 * intended ticket. The key row is written in the same transaction as the ticket, so "acknowledged" and "key
 * stored" are the same fact; a retry finds the key and gets the original answer.
 */

/** Keys are opaque to us but bounded: printable ASCII, 1–200 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** JSON with object keys sorted, so two bodies that differ only in key order hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The fingerprint stored with a key: the same key with a different fingerprint is a reuse (409). */
export function requestHash(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('base64url');
}

/** What the database knows about a key at the moment a request claims it. */
export type KeyState =
  { kind: 'absent' } | { kind: 'stored'; requestHash: string; status: number; response: unknown };

export type IdempotencyDecision =
  | { action: 'create' }
  | { action: 'replay'; status: number; response: unknown }
  | { action: 'reject'; code: 'IDEMPOTENCY_KEY_REUSED' };

/**
 * The decision table. `absent`: no committed request has the key, so create the ticket (and store the key
 * with its answer in the same transaction; if a concurrent request stores it first, that insert finds the
 * conflict and the whole batch is retried, when the key is `stored`). `stored`: a committed request owns
 * the key: replay its answer when the bodies match, refuse when they do not.
 */
export function decide(state: KeyState, hash: string): IdempotencyDecision {
  switch (state.kind) {
    case 'absent':
      return { action: 'create' };
    case 'stored':
      return state.requestHash === hash
        ? { action: 'replay', status: state.status, response: state.response }
        : { action: 'reject', code: 'IDEMPOTENCY_KEY_REUSED' };
  }
}
