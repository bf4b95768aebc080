export * from './consent';
export * from './test-deps';
