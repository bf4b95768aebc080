export * from './connect';
export * from './errors';
export * from './ids';
export * from './metadata';
export * from './providers';
export * from './server-api';
export * from './telegram';
export * from './webhooks';
