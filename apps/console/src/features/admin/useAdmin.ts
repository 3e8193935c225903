import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { api, type RequestOptions } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';

/** Administration permissions (apps/server/src/modules/access/permissions.ts); /auth/me says which the user has. */
export type AdminPermission =
  | 'users:read'
  | 'users:write'
  | 'teams:read'
  | 'teams:write'
  | 'skills:read'
  | 'skills:write'
  | 'tokens:manage'
  | 'audit:read'
  | 'routing:manage'
  | 'sla:manage'
  | 'shops:manage';

export function hasPermission(me: Me, permission: AdminPermission): boolean {
  return me.permissions?.includes(permission) ?? false;
}

/** Administration is for those who may change the set-up, not for those who may only read the directory. */
export function mayAdminister(me: Me): boolean {
  return (['users:write', 'routing:manage', 'sla:manage', 'tokens:manage', 'audit:read'] as const).some((p) =>
    hasPermission(me, p),
  );
}

const ROLE_RANK: Record<string, number> = {
  collaborator: 1,
  integration: 1,
  outsourced_agent: 1,
  agent: 2,
  supervisor: 3,
  admin: 4,
};

/** As canManageRole on the server: an admin manages everyone, a supervisor only roles below their own. */
export function mayManageRole(me: Me, role: string): boolean {
  if (me.role === 'admin') return true;
  return hasPermission(me, 'users:write') && (ROLE_RANK[role] ?? 9) < (ROLE_RANK[me.role] ?? 0);
}

export const ADMIN_KEY = ['admin'] as const;

export function useAdminQuery<T>(
  key: QueryKey,
  path: string,
  query?: RequestOptions['query'],
  enabled = true,
) {
  return useQuery({
    queryKey: [...ADMIN_KEY, ...key, query ?? {}],
    queryFn: () => api.get<T>(path, query),
    enabled,
  });
}

export function send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  return api.send<T>(path, { method, body }).then((response) => response.data);
}

/** A write that refreshes every admin list afterwards (they are small and cheap to reload). */
export function useAdminMutation<I, O = unknown>(write: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => client.invalidateQueries({ queryKey: ADMIN_KEY }),
  });
}

export interface Named {
  id: string;
  name: string;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  department: string | null;
  teams: Named[];
  skills: Array<{ id: string; code: string; level: number }>;
  capacity: number;
  presence: string;
  isActive: boolean;
  expiresAt: string | null;
  deactivatedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface TeamRow extends Named {
  description: string;
  isActive: boolean;
  memberCount: number;
}

export interface SkillRow extends Named {
  code: string;
  isActive: boolean;
}
