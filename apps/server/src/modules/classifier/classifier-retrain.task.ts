import type { JobHandler } from '../../jobs/task.ts';
import { isCategory } from './categories.ts';
import { defaultClassifierModel } from './classifier.ts';
import {
  findLatestTenantModelInfo,
  findTrainingExamples,
  insertTenantModel,
} from './classifier.repository.ts';
import { FEATURE_SPEC } from './features.ts';
import { trainTenantLayer } from './tenant-layer.ts';

/** The newest corrections a layer learns from (one per ticket); older ones age out. */
export const MAX_TRAINING_EXAMPLES = 2_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `classifier.retrain` {tenantId}: trains the tenant's layer over the base model from its agents' corrections
 * and stores it as the next version, with accuracy on those examples before and after. Idempotent: when the
 * newest layer has already seen the newest example it returns; two runs racing store one version (the other
 * insert does nothing). The insert NOTIFYs peakdesk_config, so every process reloads the tenant's layer.
 */
export const retrainTenantClassifier: JobHandler<{ tenantId?: unknown }> = async (payload, ctx) => {
  const tenantId = payload.tenantId;
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) {
    ctx.log.warn({ payload }, 'classifier.retrain without a tenant id: dropped');
    return;
  }
  const { examples, lastId } = await findTrainingExamples(ctx.db, tenantId, MAX_TRAINING_EXAMPLES);
  const latest = await findLatestTenantModelInfo(ctx.db, tenantId);
  if (!lastId || latest?.lastExampleId === lastId) return;

  const usable = examples.flatMap((e) =>
    isCategory(e.category) ? [{ text: e.text, category: e.category }] : [],
  );
  if (usable.length === 0) return;
  const started = performance.now();
  const { file, metrics } = trainTenantLayer(defaultClassifierModel(), usable);
  const stored = await insertTenantModel(ctx.db, {
    tenantId,
    version: (latest?.version ?? 0) + 1,
    featureSpec: FEATURE_SPEC,
    model: file as unknown as Record<string, unknown>,
    examples: usable.length,
    lastExampleId: lastId,
    metrics: { ...metrics },
    trainedAt: ctx.now(),
  });
  ctx.log.info(
    { tenantId, stored, ...metrics, ms: Math.round(performance.now() - started) },
    'classifier.retrain: tenant layer trained',
  );
};
