export * from '../../src/testing/factories/user.factory';
