import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Against a real Vendure server (a minute to start and seed): `npm run test:vendure`, run by CI.
    exclude: [...configDefaults.exclude, 'src/**/*.vendure.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
