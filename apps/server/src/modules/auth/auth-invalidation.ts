import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/tables.ts';

/** The PostgreSQL channel on which access changes are announced to every process. */
export const AUTH_CHANNEL = 'peakdesk_auth';

/**
 * Announces that access of `ids` (user ids, token ids, session hashes, or `*` for the whole tenant) changed,
 * so every process drops what it cached about them. Call it with the transaction that makes the change:
 * PostgreSQL delivers a NOTIFY only when that transaction commits, and never when it rolls back.
 */
export async function notifyAuthChange(
  db: Kysely<Database>,
  tenantId: string,
  ids: string | readonly string[],
): Promise<void> {
  const list = typeof ids === 'string' ? [ids] : [...new Set(ids)];
  if (list.length === 0) return;
  await sql`SELECT pg_notify(${AUTH_CHANNEL}, ${tenantId} || ':' || id)
    FROM unnest(${list}::text[]) AS id`.execute(db);
}

/**
 * The channel on which changes of a tenant's routing rules, SLA policies, calendars or settings are announced
 * (payload: the tenant id), so every process drops its cached configuration (routing/tenant-config.cache.ts).
 * The same LISTEN connection carries it: one extra connection per process, not two.
 */
export const CONFIG_CHANNEL = 'peakdesk_config';

/** Announces a configuration change of the tenant; like notifyAuthChange, call it inside the change's transaction. */
export async function notifyConfigChange(db: Kysely<Database>, tenantId: string): Promise<void> {
  await sql`SELECT pg_notify(${CONFIG_CHANNEL}, ${tenantId})`.execute(db);
}

/** Splits a `<tenantId>:<id>` payload; null for anything else. */
export function parseAuthNotification(payload: string | undefined): { tenantId: string; id: string } | null {
  if (!payload) return null;
  const at = payload.indexOf(':');
  if (at <= 0 || at === payload.length - 1) return null;
  return { tenantId: payload.slice(0, at), id: payload.slice(at + 1) };
}

export interface AuthListenerHandlers {
  onChange: (tenantId: string, id: string) => void;
  /** A tenant's routing/SLA configuration changed (`peakdesk_config`). */
  onConfigChange?: (tenantId: string) => void;
  /** true once LISTEN runs (again); false as soon as the connection is lost. */
  onListening: (listening: boolean) => void;
  log?: (message: string, error?: unknown) => void;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * One dedicated connection per process that LISTENs on `peakdesk_auth` (and `peakdesk_config`) (a pooled connection cannot: the
 * pool hands it to others). It reconnects by itself with backoff; the cache it feeds is off while it is down.
 */
export class AuthInvalidationListener {
  private client: pg.Client | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: AuthListenerHandlers,
  ) {}

  /** Connects once; on failure it keeps retrying in the background (and resolves anyway). */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    this.handlers.onListening(false);
    if (client) await client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'peakdesk-auth-listen',
      keepAlive: true,
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      this.handlers.onListening(false);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.handlers.log?.('auth invalidation listener lost its connection; reconnecting', error);
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL) {
        if (message.payload) this.handlers.onConfigChange?.(message.payload);
        return;
      }
      if (message.channel !== AUTH_CHANNEL) return;
      const change = parseAuthNotification(message.payload);
      if (change) this.handlers.onChange(change.tenantId, change.id);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
      if (this.handlers.onConfigChange) await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (lost) return;
    if (this.stopped) {
      lost = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.handlers.onListening(true);
  }

  private scheduleReconnect(): void {
    if (this.timer || this.stopped) return;
    const delay = this.retryMs * (0.5 + Math.random() / 2);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
    this.timer.unref();
  }
}
