export * from './errors';
export * from './auth';
export * from './users';
export * from './health';
export * from './accounts';
export * from './conversations';
export * from './realtime';
