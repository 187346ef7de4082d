// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color ships .mjs files that Grafana UI imports; transform them like the TypeScript sources.
const transform = { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] };

const nodeDirs = ['core', 'cli', 'server', 'demo'];

module.exports = {
  // One temp directory per test run, removed at the end (BURNRATE_KEEP_TEST_TMP=1 keeps it).
  globalSetup: '<rootDir>/tests/support/tmpdir.setup.js',
  globalTeardown: '<rootDir>/tests/support/tmpdir.teardown.js',
  projects: [
    {
      // Grafana app and panels: React components in jsdom.
      ...base,
      displayName: 'ui',
      transform,
      // jsdom picks yaml's ESM "browser" build; core needs the CommonJS one.
      moduleNameMapper: { ...base.moduleNameMapper, '^yaml$': '<rootDir>/node_modules/yaml/dist/index.js' },
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}'],
      testPathIgnorePatterns: ['/node_modules/', ...nodeDirs.map((d) => `<rootDir>/src/${d}/`)],
    },
    {
      // Pure core, CLI and server: plain Node, real Prometheus where a test needs one.
      ...base,
      displayName: 'node',
      transform,
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: [...nodeDirs.map((d) => `<rootDir>/src/${d}/**/*.test.ts`), '<rootDir>/tests/**/*.test.ts'],
      // The support-bot story runs beside the suite (scripts/run-tests.js) or alone (npm run test:story).
      testPathIgnorePatterns: ['/node_modules/', ...(process.env.BURNRATE_STORY === '1' ? [] : ['<rootDir>/tests/demo/promptRegression.test.ts'])],
    },
  ],
};
