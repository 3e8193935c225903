import type { ShopAdapter } from '@peakdesk/commerce';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import { adapterFor } from '../shops/adapter-registry.ts';
import { findConnectionForWebhook, openSecrets } from '../shops/shop-connection.repository.ts';

export interface WebhookTarget {
  tenantId: string;
  connectionId: string;
  /** Verifies and parses this connection's deliveries (its kind's `parseWebhook`, its webhook secret). */
  adapter: ShopAdapter;
}

/**
 * Which tenant and adapter a webhook URL's connection id stands for, cached per process: at a peak the shop
 * posts thousands of events a second to one URL, and each must not cost a connection read and a secret
 * decryption. The webhook URL carries no tenant (shops are configured with one URL), so the lookup is by the
 * connection id alone (findConnectionForWebhook; the table holds one row per connected shop). A changed
 * secret or a disabled connection is seen within `ttlMs`; until then the old secret still verifies.
 * Unknown and disabled ids are cached as misses for a shorter time, so a flood of them reads the table
 * only now and then.
 */
export class WebhookConnections {
  private readonly entries = new Map<string, { value: WebhookTarget | null; expiresAt: number }>();

  constructor(
    private readonly deps: {
      db: Db;
      secrets: () => SecretBox;
      ttlMs?: number;
      missTtlMs?: number;
      maxEntries?: number;
      clock?: () => number;
    },
  ) {}

  async find(connectionId: string): Promise<WebhookTarget | null> {
    const now = (this.deps.clock ?? Date.now)();
    const hit = this.entries.get(connectionId);
    if (hit && hit.expiresAt > now) return hit.value;
    const connection = await findConnectionForWebhook(this.deps.db, connectionId);
    const value =
      connection && connection.status === 'active'
        ? {
            tenantId: connection.tenantId,
            connectionId: connection.id,
            adapter: adapterFor(connection, openSecrets(this.deps.secrets(), connection)),
          }
        : null;
    const ttl = value ? (this.deps.ttlMs ?? 30_000) : (this.deps.missTtlMs ?? 5_000);
    if (ttl > 0) {
      if (this.entries.size >= (this.deps.maxEntries ?? 10_000)) this.entries.clear();
      this.entries.set(connectionId, { value, expiresAt: now + ttl });
    }
    return value;
  }

  /** Drops a connection (its secret or status changed through this process). */
  forget(connectionId: string): void {
    this.entries.delete(connectionId);
  }
}
