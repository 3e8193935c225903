import { ShopError, type ShopAdapter } from '@peakdesk/commerce';
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import type { SecretBox } from '../../lib/secret-box.ts';
import { adapterFor, DEFAULT_SHOP_TIMEOUT_MS } from './adapter-registry.ts';
import { openSecrets, type ShopConnection } from './shop-connection.repository.ts';
import { shopSecretBox } from './shop-secret-box.ts';

/**
 * Every call PeakDesk makes to a shop goes through here, per connection: a timeout (the shop must never hold
 * a request or a job longer than the connection's `timeoutMs`), one quick retry with backoff for failures
 * that a retry may fix (not for timeouts: a slow shop gets slower when asked twice), and a circuit breaker
 * that opens after consecutive failures, so that during an outage callers fail at once — and serve the last
 * snapshot — instead of piling up on a dead shop. State is per process and per connection.
 */
export interface GatewayOptions {
  /** Consecutive failures that open a connection's breaker. */
  breakerThreshold?: number;
  /** How long an open breaker refuses calls before letting one test call through. */
  halfOpenAfterMs?: number;
  /** Retries (after the first attempt) for retryable failures other than timeouts. */
  retries?: number;
  retryInitialDelayMs?: number;
  secrets?: () => SecretBox;
}

/** Why a shop call failed, as the order panel reports it. */
export type ShopFailureCode = 'TIMEOUT' | 'UNAVAILABLE' | 'CIRCUIT_OPEN' | 'RATE_LIMITED' | 'ERROR';

export interface ShopFailure {
  code: ShopFailureCode;
  message: string;
}

export function describeShopFailure(error: unknown): ShopFailure {
  if (error instanceof BrokenCircuitError) {
    return { code: 'CIRCUIT_OPEN', message: 'the shop failed repeatedly; calls are paused for a while' };
  }
  if (error instanceof TaskCancelledError)
    return { code: 'TIMEOUT', message: 'the shop did not answer in time' };
  if (error instanceof ShopError) {
    const code: ShopFailureCode =
      error.code === 'TIMEOUT' || error.code === 'UNAVAILABLE' || error.code === 'RATE_LIMITED'
        ? error.code
        : 'ERROR';
    return { code, message: error.message };
  }
  return { code: 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** Failures that say the shop is unhealthy (counted by the breaker); a 404 or a refusal says nothing of it. */
function isShopFault(error: Error): boolean {
  return error instanceof TaskCancelledError || (error instanceof ShopError && error.isRetryable);
}

interface Channel {
  version: number;
  updatedAt: number;
  adapter: ShopAdapter;
  policy: IPolicy;
  breaker: CircuitBreakerPolicy;
}

export class ShopGateway {
  private readonly channels = new Map<string, Channel>();
  private readonly options: Required<Omit<GatewayOptions, 'secrets'>>;
  private readonly secrets: () => SecretBox;

  constructor(options: GatewayOptions = {}) {
    this.options = {
      breakerThreshold: options.breakerThreshold ?? 5,
      halfOpenAfterMs: options.halfOpenAfterMs ?? 15_000,
      retries: options.retries ?? 1,
      retryInitialDelayMs: options.retryInitialDelayMs ?? 100,
    };
    this.secrets = options.secrets ?? shopSecretBox;
  }

  /** Runs `fn` against the connection's adapter under its timeout, retry and circuit breaker. */
  async call<T>(
    connection: ShopConnection,
    fn: (adapter: ShopAdapter, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const channel = this.channelFor(connection);
    return channel.policy.execute(({ signal }) => fn(channel.adapter, signal));
  }

  /** `closed`, `open`, `half-open` or `isolated`; `closed` for a connection never called. */
  breakerState(connection: Pick<ShopConnection, 'tenantId' | 'id'>): string {
    const state = this.channels.get(`${connection.tenantId}/${connection.id}`)?.breaker.state;
    switch (state) {
      case undefined:
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.Open:
        return 'open';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Isolated:
        return 'isolated';
    }
  }

  /** Drops a connection's adapter and breaker (the connection was changed or deleted). */
  forget(connection: Pick<ShopConnection, 'tenantId' | 'id'>): void {
    this.channels.delete(`${connection.tenantId}/${connection.id}`);
  }

  private channelFor(connection: ShopConnection): Channel {
    const key = `${connection.tenantId}/${connection.id}`;
    const existing = this.channels.get(key);
    // A changed connection (new credentials, URL, timeout) gets a new adapter and a fresh breaker.
    if (
      existing &&
      existing.version === connection.version &&
      existing.updatedAt === connection.updatedAt.getTime()
    ) {
      return existing;
    }
    const adapter = adapterFor(connection, openSecrets(this.secrets(), connection));
    const breaker = circuitBreaker(handleWhen(isShopFault), {
      halfOpenAfter: this.options.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
    });
    const timeoutMs = connection.settings.timeoutMs ?? DEFAULT_SHOP_TIMEOUT_MS;
    const retrying = retry(
      handleWhen((error) => error instanceof ShopError && error.isRetryable && error.code !== 'TIMEOUT'),
      {
        maxAttempts: this.options.retries,
        backoff: new ExponentialBackoff({ initialDelay: this.options.retryInitialDelayMs, maxDelay: 1000 }),
      },
    );
    const channel: Channel = {
      version: connection.version,
      updatedAt: connection.updatedAt.getTime(),
      adapter,
      breaker,
      // Aggressive: the caller is released at the deadline even if an adapter ignores the abort signal.
      policy: wrap(retrying, breaker, timeout(timeoutMs, TimeoutStrategy.Aggressive)),
    };
    this.channels.set(key, channel);
    return channel;
  }
}

let processGateway: ShopGateway | undefined;

/** The process's gateway, shared by the HTTP routes and background jobs so that they see one breaker. */
export function defaultShopGateway(): ShopGateway {
  processGateway ??= new ShopGateway();
  return processGateway;
}
