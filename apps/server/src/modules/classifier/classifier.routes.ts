import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problems } from '../../http/schemas.ts';
import { CATEGORIES, type Category } from './categories.ts';
import { classifyText } from './classifier.ts';
import type { Model } from './model.ts';

const Classification = Type.Object({
  category: Type.Unsafe<Category>(Type.String({ enum: [...CATEGORIES] })),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  explanation: Type.Array(Type.String(), {
    description: 'Features of the text that pushed the decision most',
  }),
  entities: Type.Object({
    orderNumbers: Type.Array(Type.String()),
    trackingNumbers: Type.Array(
      Type.Object({ value: Type.String(), carrier: Type.Union([Type.String(), Type.Null()]) }),
    ),
    phoneNumbers: Type.Array(Type.String()),
    amounts: Type.Array(
      Type.Object({
        text: Type.String(),
        minor: Type.Integer({ description: 'In the minor unit (fen, cents)' }),
        currency: Type.Union([Type.Literal('CNY'), Type.Literal('USD')]),
      }),
    ),
  }),
});

/** The classifier as a service: the model is loaded once at start and passed in. */
export const classifierRoutes: FastifyPluginAsyncTypebox<{ model: Model }> = async (app, { model }) => {
  app.post(
    '/classify',
    {
      config: { permission: 'tickets:read' },
      schema: {
        tags: ['classifier'],
        summary: "Recognise an inquiry's category (with confidence and explanation) and its entities",
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: 20_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: Classification, ...problems(400, 401, 403) },
      },
    },
    async (request) => classifyText(model, request.body.text),
  );
};
