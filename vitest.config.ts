import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/launch-protocol', 'server', 'test', 'deploy'],
    // Integration and end-to-end tests share one cache of environments; builds in it must not race.
    fileParallelism: false,
  },
});
