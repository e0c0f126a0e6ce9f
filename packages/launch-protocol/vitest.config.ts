import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'launch-protocol', include: ['src/**/*.test.ts'] },
});
