import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/unit/**/*.test.ts',
      'tests/integration/**/*.test.ts',
      'tests/component/**/*.test.{ts,tsx}',
      'tests/ui/**/*.test.tsx',
    ],
    pool: 'forks',
    // Generous: CLI and crash tests spawn processes, and a loaded 2-core machine can be slow.
    // Timeouts only stop a hung test; no test asserts on timing.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
