export * from './consent';
export * from './test-deps';
export * from './coalesced';
