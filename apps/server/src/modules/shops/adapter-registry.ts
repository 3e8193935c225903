import type { ShopAdapter } from '@peakdesk/commerce';
import { DemoShopAdapter } from '@peakdesk/commerce/demo-shop';
import { ShopifyAdapter } from '@peakdesk/commerce/shopify';
import type { ShopConnection, ShopSecrets } from './shop-connection.repository.ts';

/**
 * Which adapter serves which `shop_connections.kind`. PeakDesk never branches on a platform name anywhere
 * else: everything after `adapterFor` speaks `ShopAdapter` and its capabilities. Register a kind with one
 * `registerAdapterKind` call at the bottom of this file.
 */
export type AdapterFactory = (connection: ShopConnection, secrets: ShopSecrets) => ShopAdapter;

export interface AdapterKindOptions {
  /** Credential fields the kind needs (strings), checked when a connection is saved; e.g. `['apiKey']`. */
  credentialFields?: readonly string[];
  /** Whether the kind verifies inbound webhooks with the connection's webhook secret. */
  usesWebhookSecret?: boolean;
}

interface AdapterKind extends Required<AdapterKindOptions> {
  factory: AdapterFactory;
}

const kinds = new Map<string, AdapterKind>();

/** Default per-call timeout when the connection's settings name none. */
export const DEFAULT_SHOP_TIMEOUT_MS = 3000;

export function registerAdapterKind(
  kind: string,
  factory: AdapterFactory,
  options: AdapterKindOptions = {},
): void {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(kind)) throw new Error(`invalid adapter kind "${kind}"`);
  kinds.set(kind, {
    factory,
    credentialFields: options.credentialFields ?? [],
    usesWebhookSecret: options.usesWebhookSecret ?? true,
  });
}

export function isKnownAdapterKind(kind: string): boolean {
  return kinds.has(kind);
}

export function adapterKinds(): string[] {
  return [...kinds.keys()].sort();
}

/** The credential fields `kind` requires, or undefined for an unknown kind. */
export function credentialFieldsOf(kind: string): readonly string[] | undefined {
  return kinds.get(kind)?.credentialFields;
}

export class UnknownAdapterKindError extends Error {}

/** A fresh adapter for the connection (adapters are cheap; resilience state lives in the caller, per connection). */
export function adapterFor(connection: ShopConnection, secrets: ShopSecrets): ShopAdapter {
  const kind = kinds.get(connection.kind);
  if (!kind) throw new UnknownAdapterKindError(`no adapter registered for shop kind "${connection.kind}"`);
  return kind.factory(connection, secrets);
}

registerAdapterKind(
  'demo-shop',
  (connection, secrets) =>
    new DemoShopAdapter({
      baseUrl: connection.baseUrl,
      apiKey: secrets.credentials.apiKey ?? '',
      webhookSecret: secrets.webhookSecret ?? '',
      timeoutMs: connection.settings.timeoutMs ?? DEFAULT_SHOP_TIMEOUT_MS,
    }),
  { credentialFields: ['apiKey'] },
);

// Shopify (order events): credentials {accessToken} of a custom app, the shop's https://<shop>.myshopify.com as
// base URL, the app's client secret as webhook secret (Shopify signs webhooks with it).
registerAdapterKind(
  'shopify',
  (connection, secrets) =>
    new ShopifyAdapter({
      baseUrl: connection.baseUrl,
      accessToken: secrets.credentials.accessToken ?? '',
      webhookSecret: secrets.webhookSecret ?? '',
      timeoutMs: connection.settings.timeoutMs ?? DEFAULT_SHOP_TIMEOUT_MS,
    }),
  { credentialFields: ['accessToken'] },
);
