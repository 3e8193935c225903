/**
 * Recurring jobs in graphile-worker's crontab syntax (`m h dom mon dow task ?opts payload`), at most once a
 * minute. Every node runs the same crontab; graphile-worker's `known_crontabs` bookkeeping makes each tick run
 * once across all of them. Sub-minute sweeps (intake follow-ups, SLA) stay on `lib/periodic.ts` timers.
 * Cron-run task names use ':' (`shops:reconcile-orders`): graphile-worker's crontab parser rejects '.'.
 */
export const crontabLines: string[] = [
  // Order events: reconcile every connection's changed orders (catches lost pushes); purge old event ids.
  '*/5 * * * * shops:reconcile-orders',
  '17 4 * * * shops:purge-event-ids',
];
