export * from './read-db';
export * from './runner/projection';
export * from './runner/projection-runner';
export { physicalName } from './runner/tables';
