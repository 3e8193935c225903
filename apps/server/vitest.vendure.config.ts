import { defineConfig } from 'vitest/config';

/**
 * `npm run test:vendure` (CI): PeakDesk end to end with a real Vendure server (apps/vendure-fixture), which
 * takes about a minute to start and seed; out of the default `npm test`.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.vendure.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    env: { PEAKDESK_SECRET_KEY: 'cGVha2Rlc2stdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=' },
    testTimeout: 90_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
