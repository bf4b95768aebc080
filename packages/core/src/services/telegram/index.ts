export * from './telegram-flow';
