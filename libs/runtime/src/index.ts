export * from './runtime';
export { RUNTIME } from './runtime.token';
