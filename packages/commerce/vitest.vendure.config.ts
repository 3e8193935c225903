import { defineConfig } from 'vitest/config';

/** `npm run test:vendure`: the Vendure adapter against a real Vendure server (apps/vendure-fixture). */
export default defineConfig({
  test: {
    include: ['src/**/*.vendure.test.ts'],
    testTimeout: 30_000,
    // Starting Vendure, importing the sample catalogue and placing the seed orders takes about a minute here.
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
