import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'server',
    // Includes the real-cluster suites (*.cluster.test.ts): without KUBECONFIG they print
    // `skipped: no cluster` and show as skipped.
    include: ['src/**/*.test.ts'],
    // Integration tests share one environment cache; builds in it must not race.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
