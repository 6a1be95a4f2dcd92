import { defineConfig } from 'vitest/config';

export default defineConfig({
  // NestJS needs legacy decorators with emitted metadata for dependency injection.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: {
    include: [
      'protocol/src/**/*.spec.ts',
      'client/src/**/*.spec.ts',
      'cli/src/**/*.spec.ts',
      'tor/src/**/*.spec.ts',
      'server/src/**/*.spec.ts',
      'web/e2e/**/*.spec.ts',
      'web/src/**/*.spec.ts',
      'bench/**/*.spec.ts',
      'scripts/**/*.spec.ts',
    ],
    globalSetup: ['server/test-support/global-setup.ts'],
    setupFiles: ['web/e2e/support/report-failures.setup.ts', 'vitest.wait-for.setup.ts'],
    pool: 'forks',
    // Vitest's default on two cores is one worker (cores - 1). Most of the suite waits on
    // browsers, tor, PostgreSQL and sockets rather than computing, so two files at a time
    // keep both cores busy; every test file uses its own database, ports and key prefixes.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll's own default (1 s) is too short for a page or a server under load.
    expect: { poll: { timeout: 15_000 } },
  },
});
