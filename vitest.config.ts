import { defineConfig } from 'vitest/config';

// Integration tests create network namespaces and veth pairs with unique names, so files may run in
// parallel; two workers match the machine's two cores.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
