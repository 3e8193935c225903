import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../../http/schemas.ts';
import { permissionsOf, ROLES } from './permissions.ts';

const RoleView = Type.Object({
  role: Type.String(),
  permissions: Type.Array(Type.String()),
});

/** GET /roles: the role matrix as the server enforces it, so the console's role screen cannot drift. */
export const accessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/roles',
    {
      config: { permission: 'users:read' },
      schema: {
        tags: ['users'],
        summary: 'The roles and what each may do (fixed in this version)',
        response: { 200: Type.Object({ items: Type.Array(RoleView) }), ...problems(401, 403) },
      },
    },
    () => Promise.resolve({ items: ROLES.map((role) => ({ role, permissions: permissionsOf(role) })) }),
  );
};
