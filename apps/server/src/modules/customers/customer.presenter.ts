import type { CustomerAddress } from '../../db/tables.ts';
import { maskAddress, maskEmail, maskPhone, maskPiiInText } from '../access/masking.ts';
import type { CustomerRow } from './customer.repository.ts';

export interface CustomerView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  tier: number;
  address: CustomerAddress | null;
  notes: string;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
  identities?: Array<{ kind: string; value: string }>;
}

/**
 * The JSON shape of a customer. With `masked` (outsourced agents, collaborators: see seesMaskedPii) the
 * email, phone, address and the email/phone identities are masked, and so are contact details in notes.
 */
export function presentCustomer(
  row: CustomerRow,
  masked: boolean,
  identities?: Array<{ kind: string; value: string }>,
): CustomerView {
  const view: CustomerView = {
    id: row.id,
    name: row.name,
    email: row.email && masked ? maskEmail(row.email) : row.email,
    phone: row.phone && masked ? maskPhone(row.phone) : row.phone,
    tier: row.tier,
    address: row.address && masked ? maskAddress(row.address) : row.address,
    notes: masked ? maskPiiInText(row.notes) : row.notes,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
  if (identities) {
    view.identities = identities.map((i) => ({
      kind: i.kind,
      value: !masked
        ? i.value
        : i.kind === 'email'
          ? maskEmail(i.value)
          : i.kind === 'phone'
            ? maskPhone(i.value)
            : i.value,
    }));
  }
  return view;
}
