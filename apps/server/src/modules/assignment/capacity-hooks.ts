import type { Db } from '../../db/database.ts';
import type { Presence, TicketStatus } from '../../db/tables.ts';
import type { LivePublisher } from '../live/live-events.ts';
import { AssignmentService } from './assignment.service.ts';

/**
 * Hand-outs that follow a committed change: a ticket left an agent's load, an agent came online or went
 * offline, a capacity was raised. They run after the commit (never inside the change's transaction, which
 * would hold its locks while assigning) and are best effort: an error is logged, and the maintenance
 * dispatch (every 15 s) hands out whatever a failed hook left waiting.
 */

const DONE: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

/** The agent whose load a ticket change lowered: its assignee solved/closed it, or was replaced/removed. */
export function freedAssignee(
  before: { assigneeId: string | null; status: TicketStatus },
  after: { assigneeId: string | null; status: TicketStatus },
): string | null {
  if (!before.assigneeId || DONE.has(before.status)) return null;
  if (after.assigneeId !== before.assigneeId || DONE.has(after.status)) return before.assigneeId;
  return null;
}

export interface HookLogger {
  error(obj: unknown, msg: string): void;
}

export interface CapacityHooks {
  capacityFreed: (tenantId: string, agentId: string) => Promise<void>;
  presenceChanged: (tenantId: string, agentId: string, presence: Presence) => Promise<void>;
}

export function capacityHooks(db: Db, now: () => Date, log: HookLogger, live?: LivePublisher): CapacityHooks {
  const assignment = new AssignmentService(db, now, live);
  return {
    async capacityFreed(tenantId, agentId) {
      try {
        await assignment.onCapacityFreed(tenantId, agentId);
      } catch (err) {
        log.error({ err, tenantId, agentId }, 'assignment after freed capacity failed');
      }
    },
    async presenceChanged(tenantId, agentId, presence) {
      try {
        await assignment.onPresenceChanged(tenantId, agentId, presence);
      } catch (err) {
        log.error({ err, tenantId, agentId, presence }, 'assignment after a presence change failed');
      }
    },
  };
}
