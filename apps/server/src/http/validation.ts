import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const BASE: Options = {
  allErrors: false,
  useDefaults: true,
  removeAdditional: false,
  strict: false,
  // TypeBox marks its schemas with a symbol-free `kind` keyword in some versions.
  keywords: ['kind', 'modifier'],
};

function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...BASE, coerceTypes });
  addFormats(ajv);
  return ajv;
}

/**
 * Query strings, path parameters and headers are text and are coerced to their schema types; JSON bodies are
 * not, so `"priority": 1` or `"tags": "vip"` is a 400 rather than a silent guess.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const coercing = createAjv('array');
  const strict = createAjv(false);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object);
  };
}
