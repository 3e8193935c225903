import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { SecretBox } from '../../lib/secret-box.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import {
  adapterFor,
  credentialProblem,
  DEFAULT_SHOP_TIMEOUT_MS,
  isKnownAdapterKind,
} from './adapter-registry.ts';
import * as repo from './shop-connection.repository.ts';
import type { ShopConnection } from './shop-connection.repository.ts';
import { describeShopFailure, type ShopGateway } from './shop-gateway.ts';
import type { CreateShopBody, PatchShopBody } from './shop.schemas.ts';

type Db = Kysely<Database>;

/** The connection as admins see it: never a credential or the webhook secret, only whether one is set. */
export function presentShop(row: ShopConnection) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.baseUrl,
    settings: row.settings,
    status: row.status,
    isDefault: row.isDefault,
    hasWebhookSecret: row.webhookSecret !== null,
    webhookPath: `/api/v1/webhooks/shops/${row.id}`,
    lastTestedAt: row.lastTestedAt?.toISOString() ?? null,
    lastTestError: row.lastTestError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

/** Connected shops per tenant (admins): credentials sealed on the way in, every change audited. */
export class ShopConnectionService {
  constructor(
    private readonly db: Db,
    private readonly box: () => SecretBox,
    private readonly gateway: ShopGateway,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor) {
    return { items: (await repo.listConnections(this.db, actor.tenantId)).map(presentShop) };
  }

  async get(actor: Actor, id: string) {
    return presentShop(await this.find(actor.tenantId, id));
  }

  async create(actor: Actor, input: CreateShopBody, ip: string) {
    this.assertCredentials(input.kind, input.credentials);
    const id = uuidv7();
    const box = this.box();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const row = await repo.insertConnection(
          tx,
          {
            tenantId: actor.tenantId,
            id,
            kind: input.kind,
            name: input.name.trim(),
            baseUrl: input.baseUrl,
            credentials: repo.sealCredentials(box, actor.tenantId, id, input.credentials),
            webhookSecret: input.webhookSecret
              ? repo.sealWebhookSecret(box, actor.tenantId, id, input.webhookSecret)
              : null,
            settings: input.settings ?? {},
            status: input.status ?? 'active',
            isDefault: input.isDefault ?? false,
          },
          this.now(),
        );
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'shop.created',
          targetType: 'shop_connection',
          targetId: id,
          ip,
          details: { kind: input.kind, name: row.name, baseUrl: input.baseUrl },
        });
        return presentShop(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('NAME_TAKEN', 'A shop with this name exists already');
      throw error;
    }
  }

  /** Compare-and-set on `version`; a new credential or secret replaces the old one (write-only). */
  async update(actor: Actor, id: string, input: PatchShopBody, ip: string) {
    const { version, credentials, webhookSecret, name, ...rest } = input;
    const current = await this.find(actor.tenantId, id);
    if (credentials) this.assertCredentials(current.kind, credentials);
    const box = this.box();
    const patch: repo.ShopConnectionPatch = {
      ...rest,
      ...(name !== undefined ? { name: name.trim() } : {}),
      ...(credentials ? { credentials: repo.sealCredentials(box, actor.tenantId, id, credentials) } : {}),
      ...(webhookSecret !== undefined
        ? {
            webhookSecret:
              webhookSecret === null ? null : repo.sealWebhookSecret(box, actor.tenantId, id, webhookSecret),
          }
        : {}),
    };
    try {
      return await this.db.transaction().execute(async (tx) => {
        const row = await repo.updateConnection(tx, actor.tenantId, id, patch, this.now(), version);
        if (!row) throw new AppError('VERSION_MISMATCH', 'The shop connection changed since you read it');
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: 'shop.updated',
          targetType: 'shop_connection',
          targetId: id,
          ip,
          // Names of what changed only: secret values never reach the audit log.
          details: { fields: Object.keys(input).filter((k) => k !== 'version') },
        });
        this.gateway.forget(row);
        return presentShop(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('NAME_TAKEN', 'A shop with this name exists already');
      throw error;
    }
  }

  async remove(actor: Actor, id: string, ip: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const existing = await repo.findConnection(tx, actor.tenantId, id);
      if (!existing || !(await repo.deleteConnection(tx, actor.tenantId, id))) {
        throw new AppError('SHOP_NOT_FOUND');
      }
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'shop.deleted',
        targetType: 'shop_connection',
        targetId: id,
        ip,
        details: { kind: existing.kind, name: existing.name },
      });
    });
    this.gateway.forget({ tenantId: actor.tenantId, id });
  }

  /**
   * Asks the shop for its capabilities with the stored credentials, bypassing the circuit breaker (an admin
   * checking a fix must reach the shop even while the breaker is open), within the connection's timeout.
   */
  async test(actor: Actor, id: string, ip: string) {
    const connection = await this.find(actor.tenantId, id);
    const started = performance.now();
    let result: {
      ok: boolean;
      platform?: string;
      capabilities?: Record<string, unknown>;
      error?: { code: string; message: string };
    };
    try {
      const adapter = adapterFor(connection, repo.openSecrets(this.box(), connection));
      const timeoutMs = connection.settings.timeoutMs ?? DEFAULT_SHOP_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const capabilities = await Promise.race([
        adapter.capabilities(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      result = {
        ok: true,
        platform: adapter.platform,
        capabilities: capabilities as unknown as Record<string, unknown>,
      };
    } catch (error) {
      const failure = describeShopFailure(error);
      result = { ok: false, error: failure };
    }
    const latencyMs = Math.round(performance.now() - started);
    await this.db.transaction().execute(async (tx) => {
      await repo.recordConnectionTest(
        tx,
        actor.tenantId,
        id,
        result.ok ? null : `${result.error!.code}: ${result.error!.message}`,
        this.now(),
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'shop.tested',
        targetType: 'shop_connection',
        targetId: id,
        ip,
        details: { ok: result.ok, latencyMs, ...(result.error ? { error: result.error.code } : {}) },
      });
    });
    return { ...result, latencyMs };
  }

  private async find(tenantId: string, id: string): Promise<ShopConnection> {
    const row = await repo.findConnection(this.db, tenantId, id);
    if (!row) throw new AppError('SHOP_NOT_FOUND');
    return row;
  }

  private assertCredentials(kind: string, credentials: Record<string, string>): void {
    if (!isKnownAdapterKind(kind)) throw new AppError('VALIDATION_FAILED', `Unknown shop kind "${kind}"`);
    const problem = credentialProblem(kind, credentials);
    if (problem) throw new AppError('VALIDATION_FAILED', problem);
  }
}
