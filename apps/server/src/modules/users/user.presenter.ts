import type { Department, Presence, Role } from '../../db/tables.ts';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  department: Department | null;
  teams: Array<{ id: string; name: string }>;
  skills: Array<{ id: string; code: string; level: number }>;
  capacity: number;
  presence: Presence;
  isActive: boolean;
  expiresAt: string | null;
  deactivatedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface UserFields {
  id: string;
  email: string;
  name: string;
  role: Role;
  department: Department | null;
  capacity: number;
  presence: Presence;
  isActive: boolean;
  expiresAt: Date | null;
  deactivatedAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The JSON shape of a user; never a password hash. */
export function presentUser(
  user: UserFields,
  teams: Array<{ id: string; name: string }>,
  skills: Array<{ id: string; code: string; level: number }>,
): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    department: user.department,
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    skills: skills.map((s) => ({ id: s.id, code: s.code, level: s.level })),
    capacity: user.capacity,
    presence: user.presence,
    isActive: user.isActive,
    expiresAt: iso(user.expiresAt),
    deactivatedAt: iso(user.deactivatedAt),
    lastLoginAt: iso(user.lastLoginAt),
    createdAt: user.createdAt.toISOString(),
  };
}
