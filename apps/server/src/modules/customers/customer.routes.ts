import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/database.ts';
import { requireActor } from '../../http/authenticate.ts';
import { IdParams, Limit, Page, problems } from '../../http/schemas.ts';
import { CustomerService } from './customer.service.ts';

const tags = ['customers'];
const Text = (maxLength: number) => Type.String({ maxLength });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Address = Type.Object(
  {
    name: Type.Optional(Text(200)),
    phone: Type.Optional(Text(50)),
    province: Type.Optional(Text(100)),
    city: Type.Optional(Text(100)),
    district: Type.Optional(Text(100)),
    line1: Type.Optional(Text(500)),
    postalCode: Type.Optional(Text(20)),
    country: Type.Optional(Text(100)),
  },
  { additionalProperties: false },
);
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Phone = Type.String({ minLength: 3, maxLength: 50, pattern: '\\d' });
const Tier = Type.Integer({ minimum: 0, maximum: 10, description: 'e.g. VIP level; 0 is none' });

const CustomerFields = {
  id: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  tier: Type.Integer(),
  address: Nullable(Address),
  notes: Type.String(),
  isActive: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};
const CustomerSummary = Type.Object(CustomerFields, {
  description: 'Email, phone and address are masked for outsourced agents',
});
const CustomerView = Type.Object({
  ...CustomerFields,
  identities: Type.Optional(Type.Array(Type.Object({ kind: Type.String(), value: Type.String() }))),
});

export const customerRoutes: FastifyPluginAsyncTypebox<{ db: Db; now?: () => Date }> = async (
  app,
  { db, now },
) => {
  const customers = new CustomerService(db, now);

  app.post(
    '/customers',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Create a customer, or find the one its identities name (200)',
        description:
          'Needs an email, a phone or platform + externalId. When these identities already belong to one ' +
          'customer, that customer is returned with 200 and unchanged; when they belong to different ' +
          'customers, 409.',
        body: Type.Object(
          {
            name: Type.Optional(Text(200)),
            email: Type.Optional(Email),
            phone: Type.Optional(Phone),
            platform: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            tier: Type.Optional(Tier),
            address: Type.Optional(Address),
            notes: Type.Optional(Text(5000)),
          },
          { additionalProperties: false },
        ),
        response: { 200: CustomerView, 201: CustomerView, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { customer, created } = await customers.create(requireActor(request), request.body);
      return reply.status(created ? 201 : 200).send(customer);
    },
  );

  app.get(
    '/customers',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: 'List customers, newest first',
        querystring: Type.Object(
          {
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'Prefix of name, email or phone' }),
            ),
            tier: Type.Optional(Tier),
            isActive: Type.Optional(Type.Boolean()),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(CustomerSummary), ...problems(400, 401, 403) },
      },
    },
    async (request) => customers.list(requireActor(request), request.query),
  );

  app.get(
    '/customers/:id',
    {
      config: { permission: 'customers:read' },
      schema: {
        tags,
        summary: 'One customer with its identities',
        params: IdParams,
        response: { 200: CustomerView, ...problems(401, 403, 404) },
      },
    },
    async (request) => customers.get(requireActor(request), request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      config: { permission: 'customers:write' },
      schema: {
        tags,
        summary: 'Update a customer; a new email or phone becomes an identity too',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Text(200)),
            email: Type.Optional(Nullable(Email)),
            phone: Type.Optional(Nullable(Phone)),
            tier: Type.Optional(Tier),
            address: Type.Optional(Nullable(Address)),
            notes: Type.Optional(Text(5000)),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: CustomerView, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => customers.update(requireActor(request), request.params.id, request.body),
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    app.post(
      `/customers/:id/${action}`,
      {
        config: { permission: 'customers:write' },
        schema: {
          tags,
          summary: `${action === 'deactivate' ? 'Deactivate' : 'Reactivate'} a customer (audited)`,
          params: IdParams,
          response: { 200: CustomerView, ...problems(401, 403, 404) },
        },
      },
      async (request) => customers.setActive(requireActor(request), request.params.id, isActive, request.ip),
    );
  }
};
