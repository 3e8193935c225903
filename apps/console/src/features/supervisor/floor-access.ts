import type { Me } from '../../api/types.ts';

const FLOOR_ROLES: ReadonlySet<string> = new Set(['admin', 'supervisor']);

/**
 * Whether the floor is offered: exactly when the API admits the user (floor:manage, as /auth/me reports it).
 * Kept apart from SupervisorPage so the header can ask without loading the page (and ECharts) eagerly.
 */
export function seesFloor(me: Me): boolean {
  return me.permissions ? me.permissions.includes('floor:manage') : FLOOR_ROLES.has(me.role);
}
