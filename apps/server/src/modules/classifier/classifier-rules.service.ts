import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { uuidv7 } from '../../lib/ids.ts';
import type { Actor } from '../access/permissions.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { Category } from './categories.ts';
import * as repo from './classifier.repository.ts';
import { checkRulePattern, type ClassifierRule } from './rules.ts';

export interface ClassifierRuleInput {
  kind: ClassifierRule['kind'];
  pattern: string;
  category: Category;
  position?: number;
  enabled?: boolean;
}

export function presentClassifierRule(row: repo.ClassifierRuleRow) {
  return {
    id: row.id,
    position: row.position,
    kind: row.kind,
    pattern: row.pattern,
    category: row.category,
    enabled: row.enabled,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A pattern the guard refuses is a 400 with a stable code: UNSAFE_PATTERN (could run away), INVALID_PATTERN. */
function assertPattern(kind: ClassifierRule['kind'], pattern: string): void {
  const problem = checkRulePattern(kind, pattern);
  if (!problem) return;
  const code = problem.problem === 'invalid' ? 'INVALID_PATTERN' : 'UNSAFE_PATTERN';
  throw new AppError(code, problem.message, { extra: { reason: problem.problem } });
}

/** Admins' override rules for the classifier: CRUD, validated and audited; each write NOTIFYs the config. */
export class ClassifierRulesService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor) {
    return { items: (await repo.findRules(this.db, actor.tenantId)).map(presentClassifierRule) };
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findRule(this.db, actor.tenantId, id);
    if (!row) throw new AppError('NOT_FOUND', 'Classifier rule not found');
    return presentClassifierRule(row);
  }

  async create(actor: Actor, input: ClassifierRuleInput, ip: string) {
    assertPattern(input.kind, input.pattern);
    const id = uuidv7();
    return this.db.transaction().execute(async (tx) => {
      await repo.insertRule(
        tx,
        {
          tenantId: actor.tenantId,
          id,
          position: input.position ?? (await repo.nextPosition(tx, actor.tenantId)),
          kind: input.kind,
          pattern: input.pattern,
          category: input.category,
          enabled: input.enabled ?? true,
        },
        this.now(),
      );
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'classifier.rule.created',
        targetType: 'classifier_rule',
        targetId: id,
        ip,
      });
      return presentClassifierRule((await repo.findRule(tx, actor.tenantId, id))!);
    });
  }

  /** Compare-and-set on `version`: of two admins editing one rule, the second gets 412. */
  async update(actor: Actor, id: string, version: number, patch: Partial<ClassifierRuleInput>, ip: string) {
    return this.db.transaction().execute(async (tx) => {
      const before = await repo.findRule(tx, actor.tenantId, id, true);
      if (!before) throw new AppError('NOT_FOUND', 'Classifier rule not found');
      assertPattern(patch.kind ?? before.kind, patch.pattern ?? before.pattern);
      const changed = await repo.updateRule(tx, actor.tenantId, id, version, patch, this.now());
      if (!changed) throw new AppError('VERSION_MISMATCH', `The rule is at version ${before.version}`);
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'classifier.rule.updated',
        targetType: 'classifier_rule',
        targetId: id,
        ip,
      });
      return presentClassifierRule((await repo.findRule(tx, actor.tenantId, id))!);
    });
  }

  async remove(actor: Actor, id: string, ip: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.deleteRule(tx, actor.tenantId, id)))
        throw new AppError('NOT_FOUND', 'Classifier rule not found');
      await recordAudit(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'classifier.rule.deleted',
        targetType: 'classifier_rule',
        targetId: id,
        ip,
      });
    });
  }
}
