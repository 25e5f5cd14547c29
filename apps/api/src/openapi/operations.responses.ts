import {
  arrayOf,
  boolean,
  integer,
  mapOf,
  nullable,
  object,
  oneOf,
  ref,
  string,
  type AreaContract,
} from './schema-kit';

/** Health (terminus' report) and the projections' status (`ProjectionStatus`). */

const HEALTHY = {
  status: 'ok',
  info: {
    eventStore: { status: 'up', kind: 'postgres' },
    readDatabase: { status: 'up', dialect: 'postgres' },
  },
  error: {},
  details: {
    eventStore: { status: 'up', kind: 'postgres' },
    readDatabase: { status: 'up', dialect: 'postgres' },
  },
};

const indicators = (what: string) =>
  mapOf(object({ status: oneOf(['up', 'down']) }), `Per part (eventStore, readDatabase, …): ${what}`);

export const operationsContract: AreaContract = {
  schemas: {
    Liveness: object({ status: oneOf(['ok']) }),
    HealthReport: object(
      {
        status: oneOf(['ok', 'error', 'shutting_down']),
        info: nullable(indicators('the parts that are up')),
        error: nullable(indicators('the parts that are down')),
        details: indicators('every part'),
      },
      ['info', 'error'],
    ),
    ProjectionStatus: object(
      {
        name: string('The read model', 'coverage'),
        version: integer(),
        generation: integer('Rises with each rebuild'),
        state: oneOf(['idle', 'running', 'rebuilding', 'failed']),
        position: integer('The last log position taken into account'),
        head: integer('The last log position'),
        caughtUp: boolean(),
        lag: integer('head − position'),
        eventsApplied: integer('Since this process started'),
        lastError: string(),
      },
      ['lastError'],
    ),
    ProjectionsStatus: object({ head: integer(), projections: arrayOf(ref('ProjectionStatus')) }),
  },
  operations: {
    'get /health': {
      schema: 'HealthReport',
      description: 'The event store and the read database answer',
      example: HEALTHY,
    },
    'get /health/live': {
      schema: 'Liveness',
      description: 'This process serves HTTP',
      example: { status: 'ok' },
    },
    'get /health/ready': { schema: 'HealthReport', description: 'Ready for writes', example: HEALTHY },
    'get /api/projections': {
      schema: 'ProjectionsStatus',
      description: 'Every read model',
      example: {
        head: 52_114,
        projections: [
          {
            name: 'coverage',
            version: 3,
            generation: 1,
            state: 'idle',
            position: 52_114,
            head: 52_114,
            caughtUp: true,
            lag: 0,
            eventsApplied: 52_114,
          },
        ],
      },
    },
  },
};
