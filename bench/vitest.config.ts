import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The benchmark's own unit tests, kept out of the project's suite (the benchmark never runs in CI):
//   npx vitest run --config bench/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
