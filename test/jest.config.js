const swc = {
  jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' },
  module: { type: 'commonjs' },
};
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  moduleNameMapper: { '^@inbox/shared$': '<rootDir>/../shared/src/index.ts' },
};
/** e2e: the built server as a real process, real HTTP and socket.io. browser: Playwright + Chromium. */
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/browser/**/*.browser-spec.ts'] },
  ],
};
