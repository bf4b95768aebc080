export * from './browser-agent';
export * from './stack';
