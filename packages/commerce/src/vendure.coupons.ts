import { createHash } from 'node:crypto';
import type { IssueCompensationInput } from './adapter.ts';
import { ShopError } from './errors.ts';
import type { Compensation } from './types.ts';
import type { VendureClient } from './vendure.client.ts';
import { CREATE_PROMOTION, FIND_PROMOTION } from './vendure.graphql.ts';

/** The coupon code a key makes: retries with the key find the promotion the first call created. */
export function couponCodeFor(idempotencyKey: string): string {
  return `PD-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * A goodwill coupon as a Vendure promotion: a fixed discount on the next order, single-use, with a code derived
 * from the idempotency key (looked up before creating: Vendure accepts duplicate coupon codes). Vendure core
 * cannot tie a promotion to one customer without a customer group, so the coupon is bound by being single-use
 * and names the customer and order in its description.
 */
export async function grantVendureCoupon(
  client: VendureClient,
  input: IssueCompensationInput,
): Promise<Compensation> {
  const amount = input.amount;
  if (!amount || !Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
    throw new ShopError('INVALID_REQUEST', 'a coupon needs a positive amount');
  }
  const couponCode = couponCodeFor(input.idempotencyKey);
  const toCompensation = (p: { id: string; createdAt: string }): Compensation => ({
    externalId: p.id,
    customerId: input.customerId,
    kind: 'coupon',
    amount,
    couponCode,
    createdAt: p.createdAt,
  });
  const found = await client.request<{
    promotions: {
      items: { id: string; createdAt: string; actions: { args: { name: string; value: string }[] }[] }[];
    };
  }>(FIND_PROMOTION, { code: couponCode });
  const existing = found.promotions.items[0];
  if (existing) {
    const value = existing.actions[0]?.args.find((a) => a.name === 'discount')?.value;
    if (value !== String(amount.amountMinor)) {
      throw new ShopError(
        'IDEMPOTENCY_CONFLICT',
        `coupon ${couponCode} was made with this key for another amount`,
      );
    }
    return toCompensation(existing);
  }
  const created = await client.mutate<{ id: string; createdAt: string }>(
    'createPromotion',
    CREATE_PROMOTION,
    {
      input: {
        enabled: true,
        couponCode,
        usageLimit: 1,
        perCustomerUsageLimit: 1,
        conditions: [],
        actions: [
          {
            code: 'order_fixed_discount',
            arguments: [{ name: 'discount', value: String(amount.amountMinor) }],
          },
        ],
        translations: [
          {
            languageCode: 'en',
            name: `PeakDesk ${couponCode}`,
            description: `${input.reason} (customer ${input.customerId}${input.orderId ? `, order ${input.orderId}` : ''})`,
          },
        ],
      },
    },
  );
  return toCompensation(created);
}
