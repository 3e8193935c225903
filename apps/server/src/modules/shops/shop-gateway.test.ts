import { ShopError } from '@peakdesk/commerce';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../../lib/secret-box.ts';
import { sealCredentials, type ShopConnection } from './shop-connection.repository.ts';
import { describeShopFailure, ShopGateway } from './shop-gateway.ts';
import { createStubShop } from './stub-shop.testing.ts';

const box = new SecretBox(Buffer.alloc(32, 3));

function connectionFor(baseUrl: string, overrides: Partial<ShopConnection> = {}): ShopConnection {
  const at = new Date('2026-11-11T00:00:00.000Z');
  return {
    tenantId: 't1',
    id: `c-${baseUrl}`,
    kind: 'test-stub',
    name: 'stub',
    baseUrl,
    credentials: sealCredentials(box, 't1', `c-${baseUrl}`, {}),
    webhookSecret: null,
    settings: { timeoutMs: 100 },
    status: 'active',
    isDefault: false,
    lastTestedAt: null,
    lastTestError: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

/** A call that fails with `error` `times` times, then answers. */
function failing(error: Error, times: number) {
  let calls = 0;
  const fn = () => {
    calls += 1;
    return calls <= times ? Promise.reject(error) : Promise.resolve('answer');
  };
  return { fn, calls: () => calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ShopGateway', () => {
  it('retries a retryable failure once, but never a timeout or a refusal', async () => {
    const gateway = new ShopGateway({ secrets: () => box, retries: 1, retryInitialDelayMs: 1 });
    const connection = connectionFor(createStubShop().baseUrl);
    const unavailable = failing(new ShopError('UNAVAILABLE', 'down'), 1);
    expect(await gateway.call(connection, unavailable.fn)).toBe('answer');
    expect(unavailable.calls()).toBe(2);
    const timedOut = failing(new ShopError('TIMEOUT', 'slow'), 1);
    await expect(gateway.call(connection, timedOut.fn)).rejects.toThrow('slow');
    expect(timedOut.calls()).toBe(1);
    const refused = failing(new ShopError('REJECTED', 'no'), 1);
    await expect(gateway.call(connection, refused.fn)).rejects.toThrow('no');
    expect(refused.calls()).toBe(1);
  });

  it('releases the caller at the timeout even when the shop never answers', async () => {
    const gateway = new ShopGateway({ secrets: () => box });
    const connection = connectionFor(createStubShop().baseUrl, { settings: { timeoutMs: 100 } });
    const error = await gateway
      .call(connection, () => new Promise<never>(() => undefined))
      .catch((e: unknown) => e);
    expect(describeShopFailure(error).code).toBe('TIMEOUT');
  });

  it('opens after consecutive shop faults only, refuses calls while open, and closes after a good test call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const gateway = new ShopGateway({
      secrets: () => box,
      breakerThreshold: 3,
      halfOpenAfterMs: 10_000,
      retries: 0,
    });
    const connection = connectionFor(createStubShop().baseUrl);
    // Refusals and not-found answers say nothing about the shop's health.
    for (let i = 0; i < 5; i++) {
      await expect(
        gateway.call(connection, () => Promise.reject(new ShopError('REJECTED', 'no'))),
      ).rejects.toThrow();
    }
    expect(gateway.breakerState(connection)).toBe('closed');
    for (let i = 0; i < 3; i++) {
      await expect(
        gateway.call(connection, () => Promise.reject(new ShopError('UNAVAILABLE', 'down'))),
      ).rejects.toThrow();
    }
    expect(gateway.breakerState(connection)).toBe('open');
    const probe = vi.fn(() => Promise.resolve('answer'));
    const refused = await gateway.call(connection, probe).catch((e: unknown) => e);
    expect(describeShopFailure(refused).code).toBe('CIRCUIT_OPEN');
    expect(probe).not.toHaveBeenCalled();

    vi.setSystemTime(Date.now() + 10_001);
    expect(await gateway.call(connection, probe)).toBe('answer');
    expect(gateway.breakerState(connection)).toBe('closed');
  });

  it('gives a changed connection a fresh breaker', async () => {
    const gateway = new ShopGateway({ secrets: () => box, breakerThreshold: 1, retries: 0 });
    const connection = connectionFor(createStubShop().baseUrl);
    await expect(
      gateway.call(connection, () => Promise.reject(new ShopError('UNAVAILABLE', 'down'))),
    ).rejects.toThrow();
    expect(gateway.breakerState(connection)).toBe('open');
    const changed = { ...connection, version: 2, updatedAt: new Date('2026-11-11T01:00:00.000Z') };
    expect(await gateway.call(changed, () => Promise.resolve('answer'))).toBe('answer');
  });
});
