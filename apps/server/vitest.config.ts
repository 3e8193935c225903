import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // *.vendure.test.ts: with a real Vendure server, `npm run test:vendure` (vitest.vendure.config.ts).
    exclude: ['**/*.e2e.test.ts', '**/*.vendure.test.ts', '**/node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Shop credentials are sealed with this fixed test key (never a key file under ./data during tests).
    env: { PEAKDESK_SECRET_KEY: 'cGVha2Rlc2stdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: more workers only queue on the database.
    maxWorkers: 2,
  },
});
