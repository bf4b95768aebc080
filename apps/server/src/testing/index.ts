export * from './browser-agent';
export * from './stack';
export * from './fuzz';
export * from './prometheus';
export * from './rest-client';
export * from './mock-control';
