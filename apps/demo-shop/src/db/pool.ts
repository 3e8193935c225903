import pg from 'pg';
import { assertSchemaName } from './schema.ts';

// bigint columns (money in fen, points) come back as JS numbers: fen amounts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A pool whose connections resolve unqualified table names in the demo shop's schema. */
export function createPool(databaseUrl: string, schema: string, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max,
    options: `-c search_path=${assertSchemaName(schema)}`,
  });
}
