import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    testTimeout: 300_000,
    fileParallelism: false,
    hookTimeout: 300_000,
  },
});
