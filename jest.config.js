import { SWC_OPTIONS } from './test/support/swc-options.mjs';

// Jest runs in ESM mode (NestJS 12 is ESM-only); @swc/jest strips types and emits the
// decorator metadata Nest's dependency injection needs. Type-checking is `tsc --noEmit`.
const swc = ['@swc/jest', SWC_OPTIONS];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/web/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  maxWorkers: 2,
  // End-to-end files load tenants and wait for runs; unit specs finish in milliseconds anyway.
  testTimeout: 60000,
};
