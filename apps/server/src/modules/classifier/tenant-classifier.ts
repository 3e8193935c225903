import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { isCategory, type Category } from './categories.ts';
import { extractEntities } from './entities.ts';
import { findLatestTenantModel, findRules } from './classifier.repository.ts';
import { predict, type Model, type ModelFile } from './model.ts';
import { applyRules, compileRules, type CompiledRule, type RuleMatch } from './rules.ts';
import { decodeTenantLayer } from './tenant-layer.ts';
import type { Classification } from './classifier.ts';

/**
 * What a tenant adds to the base model: its override rules (compiled) and its retrained layer. Part of the
 * tenant configuration that intake caches per process (routing/tenant-config.cache.ts), so a rule change or
 * a new layer reaches every process through the same NOTIFY peakdesk_config.
 */
export interface TenantClassifier {
  rules: CompiledRule[];
  layer: Model | null;
  layerVersion: number | null;
}

export const NO_TENANT_CLASSIFIER: TenantClassifier = { rules: [], layer: null, layerVersion: null };

/** Two queries: enabled rules and the newest layer (a layer that no longer fits the base is ignored). */
export async function loadTenantClassifier(
  db: Kysely<Database>,
  tenantId: string,
  base: Model,
): Promise<TenantClassifier> {
  const [rules, latest] = await Promise.all([
    findRules(db, tenantId, true),
    findLatestTenantModel(db, tenantId),
  ]);
  const layer = latest ? decodeTenantLayer(base, latest.model as unknown as ModelFile) : null;
  return {
    rules: compileRules(
      rules.flatMap((r) => (isCategory(r.category) ? [{ ...r, category: r.category }] : [])),
    ),
    layer,
    layerVersion: layer ? latest!.version : null,
  };
}

export interface TenantPrediction {
  category: Category;
  confidence: number;
  explanation: string[];
  /** The override rule that decided, if one did (then the model was not asked). */
  rule: RuleMatch | null;
  /** The tenant layer's version when it took part. */
  layerVersion: number | null;
}

/** Rules first (first match by position wins, confidence 1), else the base model plus the tenant's layer. */
export function predictForTenant(base: Model, tenant: TenantClassifier, text: string): TenantPrediction {
  const rule = applyRules(tenant.rules, text);
  if (rule) {
    return {
      category: rule.category,
      confidence: 1,
      explanation: [`${rule.kind} rule: ${rule.matched}`],
      rule,
      layerVersion: null,
    };
  }
  const { category, confidence, explanation } = predict(tenant.layer ? [base, tenant.layer] : base, text);
  return { category, confidence, explanation, rule: null, layerVersion: tenant.layerVersion };
}

/** POST /classify for a tenant: the prediction plus the entities. */
export function classifyForTenant(
  base: Model,
  tenant: TenantClassifier,
  text: string,
): Classification & Pick<TenantPrediction, 'rule' | 'layerVersion'> {
  return { ...predictForTenant(base, tenant, text), entities: extractEntities(text) };
}
