import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/component/**/*.test.{ts,tsx}',
    ],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
