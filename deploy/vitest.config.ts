import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'deploy',
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    // The first build of the server's image installs and builds the whole workspace.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
