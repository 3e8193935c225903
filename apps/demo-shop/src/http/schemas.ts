import { Type } from '@fastify/type-provider-typebox';

export const MoneyInput = Type.Object(
  { amountMinor: Type.Integer({ minimum: 1, maximum: 100_000_000 }), currency: Type.Literal('CNY') },
  { additionalProperties: false },
);
export const IdempotencyKey = Type.String({ minLength: 8, maxLength: 200 });
export const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 }));

/** Opaque keyset cursor over (updated_at, id). */
export function encodeCursor(updatedAt: string | null, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): { updatedAt: Date; id: string } | null {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(updatedAt);
    return typeof id === 'string' && !Number.isNaN(date.getTime()) ? { updatedAt: date, id } : null;
  } catch {
    return null;
  }
}
