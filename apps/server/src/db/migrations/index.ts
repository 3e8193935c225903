import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.ts';
import * as m0003 from './0003_directory.ts';
import * as m0004 from './0004_intake.ts';
import * as m0006b from './0006b_routing_sla.ts';
import * as m0006c from './0006c_sla_escalation.ts';
import * as m0008 from './0008_customer_messages.ts';
import * as m0011 from './0011_shops.ts';
import * as m0010 from './0010_classifier_tenant.ts';
import * as m0012 from './0012_department_tasks.ts';
import * as m0013 from './0013_customer_portal.ts';
import * as m0015 from './0015_order_events.ts';
import * as m0014 from './0014_floor_stats.ts';
import * as m0017 from './0017_returns.ts';
import * as m0016 from './0016_aftersales_payouts.ts';

/**
 * Forward-only migrations, applied in name order. Never edit one that has shipped: add the next file.
 * Listed statically so that they are bundled and type-checked like the rest of the code.
 */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0003_directory': m0003,
  '0004_intake': m0004,
  '0006b_routing_sla': m0006b,
  '0006c_sla_escalation': m0006c,
  '0008_customer_messages': m0008,
  '0011_shops': m0011,
  '0010_classifier_tenant': m0010,
  '0012_department_tasks': m0012,
  '0013_customer_portal': m0013,
  '0015_order_events': m0015,
  '0014_floor_stats': m0014,
  '0017_returns': m0017,
  '0016_aftersales_payouts': m0016,
};
