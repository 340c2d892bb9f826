import { defineConfig } from 'vitest/config';

// Two suites: `unit` needs nothing but the repository and ../shared/testdata;
// `services` talks to the real Kafka, Redis, S3, Trino and dbt that scripts/services starts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/services/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'services',
          include: ['test/services/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
