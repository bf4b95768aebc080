export * from './catalog';
export * from './engines/oauth2';
export * from './http';
export * from './modes';
export * from './types';
export * from './proxy';
export { proxies } from './proxy.generated';
export * from './provider-events';
