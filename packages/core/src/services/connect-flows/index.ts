export * from './runner';
export { flowStateAad } from './store';
