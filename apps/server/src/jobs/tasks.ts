import { purgeEventIdsTask } from '../modules/order-events/event-purge.job.ts';
import { reconcileAllTask, reconcileConnectionTask } from '../modules/order-events/order-reconcile.job.ts';
import { refetchOrderTask } from '../modules/order-events/order-refetch.job.ts';
import { retrainTenantClassifier } from '../modules/classifier/classifier-retrain.task.ts';
import { enrichTicketTask } from '../modules/shops/enrich-ticket.task.ts';
import { priceProtectionTask } from '../modules/aftersales/price-protection.task.ts';
import { campaignTask } from '../modules/aftersales/price-protection-campaign.task.ts';
import { retryPayoutTask } from '../modules/aftersales/payout-retry.task.ts';
import type { JobHandler } from './task.ts';

/**
 * Every durable job task, by name (namespaced: `shops.enrich-ticket`). One line per task; the handler lives
 * in its feature module. Payloads are JSON; handlers validate what they read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler narrows its own payload
export const tasks: Record<string, JobHandler<any>> = {
  'jobs.noop': async () => undefined,
  'shops.enrich-ticket': enrichTicketTask,
  'classifier.retrain': retrainTenantClassifier,
  'shops.refetch-order': refetchOrderTask,
  // Cron-run tasks use ':' — graphile-worker's crontab does not accept '.' in task names.
  'shops:reconcile-orders': reconcileAllTask,
  'shops.reconcile-connection': reconcileConnectionTask,
  'aftersales.price-protection': priceProtectionTask,
  'aftersales.price-protection-campaign': campaignTask,
  'aftersales.retry-payout': retryPayoutTask,
  'shops:purge-event-ids': purgeEventIdsTask,
};
