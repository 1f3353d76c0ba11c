export * from '../../src/testing/factories/account.factory';
