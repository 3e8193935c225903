import type { Kysely } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CustomerAddress, Database } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import { pageOf, parseIdCursor } from '../../http/id-cursor.ts';
import { seesMaskedPii, type Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findOrCreateCustomer, identityKeys, normaliseEmail } from './customer-identity.ts';
import { presentCustomer, type CustomerView } from './customer.presenter.ts';
import {
  claimIdentities,
  findCustomer,
  findCustomers,
  findIdentities,
  findIdentityOwners,
  updateCustomer,
  type CustomerFilter,
  type CustomerPatch,
} from './customer.repository.ts';

export interface CreateCustomerInput {
  name?: string;
  email?: string;
  phone?: string;
  platform?: string;
  externalId?: string;
  tier?: number;
  address?: CustomerAddress;
  notes?: string;
}

export interface UpdateCustomerInput {
  name?: string;
  email?: string | null;
  phone?: string | null;
  tier?: number;
  address?: CustomerAddress | null;
  notes?: string;
}

/**
 * Customers and the identities that recognise them (platform id, email, phone). Creating is find-or-create:
 * identities already known to one customer return that customer; identities split between customers are a
 * conflict. Changing an email or phone adds it as an identity; old identities stay, so that tickets from the
 * old address still find the customer.
 */
export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async view(db: Kysely<Database>, actor: Actor, id: string): Promise<CustomerView> {
    const row = await findCustomer(db, actor.tenantId, id);
    if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
    return presentCustomer(row, seesMaskedPii(actor), await findIdentities(db, actor.tenantId, id));
  }

  get(actor: Actor, id: string): Promise<CustomerView> {
    return this.view(this.db, actor, id);
  }

  async list(actor: Actor, filter: Omit<CustomerFilter, 'before'> & { cursor?: string }) {
    const rows = await findCustomers(this.db, actor.tenantId, {
      ...filter,
      before: parseIdCursor(filter.cursor),
    });
    const page = pageOf(rows, filter.limit);
    const masked = seesMaskedPii(actor);
    return { items: page.items.map((row) => presentCustomer(row, masked)), nextCursor: page.nextCursor };
  }

  async create(
    actor: Actor,
    input: CreateCustomerInput,
  ): Promise<{ customer: CustomerView; created: boolean }> {
    if (Boolean(input.platform) !== Boolean(input.externalId)) {
      throw new AppError('VALIDATION_FAILED', 'platform and externalId go together');
    }
    const keys = identityKeys(input);
    if (keys.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'A customer needs an email, a phone or a platform id');
    }
    const now = this.now();
    return this.db.transaction().execute(async (tx) => {
      const owners = new Set((await findIdentityOwners(tx, actor.tenantId, keys)).map((o) => o.customerId));
      if (owners.size > 1) {
        throw new AppError('CONFLICT', 'These identities belong to different customers', {
          extra: { customerIds: [...owners] },
        });
      }
      const found = await findOrCreateCustomer(tx, actor.tenantId, input, now);
      if (found!.created && (input.tier !== undefined || input.address || input.notes !== undefined)) {
        await updateCustomer(
          tx,
          actor.tenantId,
          found!.id,
          {
            ...(input.tier !== undefined ? { tier: input.tier } : {}),
            ...(input.address ? { address: input.address } : {}),
            ...(input.notes !== undefined ? { notes: input.notes } : {}),
          },
          now,
        );
      }
      return { customer: await this.view(tx, actor, found!.id), created: found!.created };
    });
  }

  async update(actor: Actor, id: string, input: UpdateCustomerInput): Promise<CustomerView> {
    const now = this.now();
    return this.db.transaction().execute(async (tx) => {
      const row = await findCustomer(tx, actor.tenantId, id, true);
      if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
      const patch: CustomerPatch = { ...input };
      if (input.name !== undefined) patch.name = input.name.trim();
      if (input.email) patch.email = normaliseEmail(input.email);
      if (input.phone) patch.phone = input.phone.trim();
      const added = identityKeys({
        email: input.email && patch.email !== row.email ? input.email : null,
        phone: input.phone && patch.phone !== row.phone ? input.phone : null,
      });
      const taken = await claimIdentities(tx, actor.tenantId, id, added, now);
      if (taken.length) {
        throw new AppError('CONFLICT', `This ${taken[0]!.kind} belongs to another customer`);
      }
      await updateCustomer(tx, actor.tenantId, id, patch, now);
      return this.view(tx, actor, id);
    });
  }

  async setActive(actor: Actor, id: string, isActive: boolean, ip: string): Promise<CustomerView> {
    return this.db.transaction().execute(async (tx) => {
      const row = await findCustomer(tx, actor.tenantId, id, true);
      if (!row) throw new AppError('CUSTOMER_NOT_FOUND');
      if (row.isActive !== isActive) {
        await updateCustomer(tx, actor.tenantId, id, { isActive }, this.now());
        await recordAudit(tx, {
          tenantId: actor.tenantId,
          actor,
          action: isActive ? 'customer.reactivated' : 'customer.deactivated',
          targetType: 'customer',
          targetId: id,
          ip,
        });
      }
      return this.view(tx, actor, id);
    });
  }
}
