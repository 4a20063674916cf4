import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Integration and e2e tests start servers and containers; two cores do not gain from more.
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
