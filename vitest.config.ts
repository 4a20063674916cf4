import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    // Integration and e2e tests start servers and containers; two cores do not gain from more.
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
    // GitHub's workflow parser imports its JSON schema without `with { type: 'json' }`, which
    // Node refuses; through Vite's transform the import works as its authors run it.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
