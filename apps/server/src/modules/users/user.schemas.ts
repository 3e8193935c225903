import { Type } from '@fastify/type-provider-typebox';
import { Limit, Uuid } from '../../http/schemas.ts';

export const RoleSchema = Type.Union(
  ['admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator'].map((r) => Type.Literal(r)),
);
export const DepartmentSchema = Type.Union(
  ['warehouse', 'logistics', 'purchasing'].map((d) => Type.Literal(d)),
);
export const PresenceSchema = Type.Union(['online', 'away', 'offline'].map((p) => Type.Literal(p)));
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const EmailSchema = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
export const NameSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 1024 });
export const SkillLevelSchema = Type.Object(
  { skillId: Uuid, level: Type.Integer({ minimum: 1, maximum: 5 }) },
  { additionalProperties: false },
);

export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  department: Nullable(Type.String()),
  teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  skills: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), level: Type.Integer() })),
  capacity: Type.Integer(),
  presence: Type.String(),
  isActive: Type.Boolean(),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  deactivatedAt: Nullable(Type.String({ format: 'date-time' })),
  lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CreateUserBody = Type.Object(
  {
    email: EmailSchema,
    name: NameSchema,
    role: RoleSchema,
    department: Type.Optional(DepartmentSchema),
    password: Type.Optional(PasswordSchema),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
    teamIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    skills: Type.Optional(Type.Array(SkillLevelSchema, { maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(EmailSchema),
    name: Type.Optional(NameSchema),
    role: Type.Optional(RoleSchema),
    department: Type.Optional(Nullable(DepartmentSchema)),
    capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListUsersQuery = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    teamId: Type.Optional(Uuid),
    isActive: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Limit,
  },
  { additionalProperties: false },
);
