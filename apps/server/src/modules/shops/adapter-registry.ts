import type { ShopAdapter } from '@peakdesk/commerce';
import { DemoShopAdapter } from '@peakdesk/commerce/demo-shop';
import { ShopifyAdapter } from '@peakdesk/commerce/shopify';
import { VendureAdapter } from '@peakdesk/commerce/vendure';
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
  /**
   * A check beyond required fields (alternative logins, say), run when a connection is saved: returns what
   * is wrong, for the 400, or undefined when the credentials have a usable shape.
   */
  checkCredentials?: (credentials: Readonly<Record<string, string>>) => string | undefined;
}

interface AdapterKind extends Required<Omit<AdapterKindOptions, 'checkCredentials'>> {
  factory: AdapterFactory;
  checkCredentials?: AdapterKindOptions['checkCredentials'];
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
    ...(options.checkCredentials ? { checkCredentials: options.checkCredentials } : {}),
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

/**
 * What is wrong with `credentials` for `kind` (missing fields, then the kind's own check), undefined when
 * they have a usable shape; throws UnknownAdapterKindError for an unknown kind.
 */
export function credentialProblem(
  kind: string,
  credentials: Readonly<Record<string, string>>,
): string | undefined {
  const registered = kinds.get(kind);
  if (!registered) throw new UnknownAdapterKindError(`no adapter registered for shop kind "${kind}"`);
  const missing = registered.credentialFields.filter((field) => !credentials[field]);
  if (missing.length) return `A ${kind} shop needs credentials: ${missing.join(', ')}`;
  return registered.checkCredentials?.(credentials);
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

const VENDURE_CREDENTIAL_FIELDS = new Set(['apiKey', 'username', 'password', 'channelToken']);

/** Exactly one way in: an API key, or a username with its password (never both, no unknown fields). */
export function vendureCredentialProblem(credentials: Readonly<Record<string, string>>): string | undefined {
  const unknown = Object.keys(credentials).filter((field) => !VENDURE_CREDENTIAL_FIELDS.has(field));
  if (unknown.length) return `A vendure shop takes no credentials named: ${unknown.join(', ')}`;
  const hasKey = Boolean(credentials.apiKey);
  const hasLogin = Boolean(credentials.username) || Boolean(credentials.password);
  if (hasKey && hasLogin) return 'A vendure shop takes either apiKey or username and password, not both';
  if (hasKey) return undefined;
  if (credentials.username && credentials.password) return undefined;
  return 'A vendure shop needs credentials: apiKey, or username and password';
}

// Vendure 3 (Admin GraphQL API): the base URL is the server's Admin API (https://shop.example/admin-api);
// credentials are an Admin API key {apiKey} (the server's tokenMethod must include 'api-key'), or an
// administrator's login {username, password}, plus an optional {channelToken} for a non-default channel.
// The webhook secret is the one PeakDesk's Vendure plugin signs with (apps/vendure-fixture's
// PeakDeskWebhookPlugin.init({ url, secret })).
registerAdapterKind(
  'vendure',
  (connection, secrets) => {
    const { apiKey, username, password, channelToken } = secrets.credentials;
    return new VendureAdapter({
      adminApiUrl: connection.baseUrl,
      auth: apiKey ? { apiKey } : { username: username ?? '', password: password ?? '' },
      webhookSecret: secrets.webhookSecret ?? '',
      timeoutMs: connection.settings.timeoutMs ?? DEFAULT_SHOP_TIMEOUT_MS,
      ...(channelToken ? { channelToken } : {}),
    });
  },
  { checkCredentials: vendureCredentialProblem },
);
