export * from './gateway';
export * from './gramjs-gateway';
export * from './http-gateway';
export * from './telegram-flow';
