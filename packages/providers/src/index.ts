export * from './catalog';
export * from './engines/oauth2';
export * from './http';
export * from './modes';
export * from './types';
export * from './provider-events';
