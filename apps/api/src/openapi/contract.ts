import type { OpenAPIObject } from '@nestjs/swagger';
import { OPERATION_RESPONSES, RESPONSE_SCHEMAS } from './responses';
import type { OperationContract } from './schema-kit';

/**
 * What every operation of the API shares, added to the document Nest generates from the
 * controllers, so that it is declared once and a generated client knows it:
 *
 * - refusals: RFC 9457 problem details (`application/problem+json`), with the statuses each
 *   kind of operation can answer;
 * - `X-Request-Id` (accepted and returned), `Idempotency-Key` on writes, `consistentWith` on
 *   reads, `ETag` / `If-None-Match` on the read models' answers;
 * - what each operation answers on success (`responses.ts`): a named schema, an example, the
 *   CSV and XLSX alternatives of the reports and the query parameters the controllers read;
 * - the server, relative to where the document is served.
 */

type Json = Record<string, unknown>;
type Operation = {
  parameters?: Json[];
  responses?: Record<string, Json>;
  [key: string]: unknown;
};

const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem details. Rule violations add `rule` and the facts of the rule.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://ledger.example.id/problems/program.quotaFull' },
    title: { type: 'string', example: 'Kuota program sudah penuh' },
    status: { type: 'integer', example: 409 },
    detail: { type: 'string' },
    instance: { type: 'string', example: '/api/programs/0197a000-0000-7000-8000-0000000000a1/enrollments' },
    requestId: {
      type: 'string',
      description: 'The request id (`X-Request-Id`) under which the server logged it',
    },
    rule: {
      type: 'string',
      description: 'The business rule refused (409, 422)',
      example: 'program.quotaFull',
    },
    errors: {
      type: 'array',
      description: 'Each field and rule refused',
      items: {
        type: 'object',
        required: ['rule', 'message'],
        properties: {
          field: { type: 'string', example: 'coverageFrom' },
          rule: { type: 'string', example: 'isCalendarDate' },
          message: { type: 'string' },
        },
      },
    },
  },
  additionalProperties: true,
};

const PROBLEMS: Record<string, string> = {
  '400': 'A parameter or field is invalid: `errors` names each field and rule',
  '401': 'No valid bearer token',
  '403': 'The token’s role or region does not reach this',
  '404': 'Not found (or not visible to the token)',
  '409':
    'Conflict with the ledger’s state (quota full, already covered, closed program, another body for the same Idempotency-Key)',
  '413': 'The body is larger than allowed',
  '415': 'Content-Type not supported',
  '422': 'Can never succeed as asked (age cap, village outside the program region, period)',
  '429': 'Too many requests: retry after `Retry-After` seconds',
  '503': 'The store is unavailable, or a read model did not reach `consistentWith` in time',
};

const REQUEST_ID: Json = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description:
    'Your id for this request (1–128 of `A-Z a-z 0-9 . _ : -`), returned and logged; otherwise one is generated',
  schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]{1,128}$' },
};
const IDEMPOTENCY_KEY: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The same key with the same body returns the first result; with another body 409',
  schema: { type: 'string', maxLength: 200 },
};
const CONSISTENT_WITH: Json = {
  name: 'consistentWith',
  in: 'query',
  required: false,
  description:
    'A consistency token a write returned: the answer waits (bounded) until its read model has reached it, then 503',
  schema: { type: 'string', pattern: '^\\d{1,16}$' },
};
const IF_NONE_MATCH: Json = {
  name: 'If-None-Match',
  in: 'header',
  required: false,
  description: 'An ETag of an earlier answer: 304 without a body while the answer is unchanged',
  schema: { type: 'string' },
};

const WRITE = new Set(['post', 'put', 'patch', 'delete']);

function hasParameter(operation: Operation, name: string, location: string): boolean {
  return (operation.parameters ?? []).some(
    (p) => String(p.name).toLowerCase() === name.toLowerCase() && p.in === location,
  );
}

function statusesOf(method: string, path: string, operation: Operation): string[] {
  const statuses = ['400', '429', '503'];
  const secured = !path.startsWith('/health') && path !== '/metrics';
  if (secured) statuses.push('401', '403');
  if (path.includes('{')) statuses.push('404');
  if (WRITE.has(method)) statuses.push('409', '413', '415', '422');
  return statuses.filter((s) => !(operation.responses ?? {})[s]);
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE = { type: 'string', format: 'binary' };

/** The declared success answer of an operation, in place of the empty one Nest generates. */
function declareSuccess(operation: Operation, declared: OperationContract): void {
  const responses = (operation.responses ??= {});
  const status = declared.status ?? Object.keys(responses).find((s) => /^2/.test(s)) ?? '200';
  const response = (responses[status] ??= { description: '' });
  if (declared.description && !response.description) response.description = declared.description;
  const content = ((response.content as Json | undefined) ??= {});
  content['application/json'] = {
    schema: { $ref: `#/components/schemas/${declared.schema}` },
    ...(declared.example === undefined ? {} : { example: declared.example }),
  };
  if (declared.spreadsheets) {
    content['text/csv'] = { schema: { ...FILE, description: 'CSV, `;`-separated, UTF-8 with BOM' } };
    content[XLSX] = { schema: { ...FILE, description: 'XLSX workbook' } };
  }
  const parameters = (operation.parameters ??= []);
  for (const parameter of declared.query ?? []) {
    if (!hasParameter(operation, String(parameter.name), 'query')) parameters.push(parameter);
  }
}

/** Completes the generated document in place and returns it. */
export function completeContract(document: OpenAPIObject): OpenAPIObject {
  document.servers = [{ url: '/', description: 'This server' }];
  const components = (document.components ??= {});
  components.schemas = { ...(components.schemas ?? {}), Problem: PROBLEM_SCHEMA, ...RESPONSE_SCHEMAS };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'head', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = value;
      const declared = OPERATION_RESPONSES[`${method} ${path}`];
      if (declared) declareSuccess(operation, declared);
      // The health checks refuse with problem details that keep terminus' report of each part.
      if (path.startsWith('/health') && operation.responses?.['503']) {
        operation.responses['503'] = {
          description: 'A part is down: `error` and `details` name each part and why',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      const parameters = (operation.parameters ??= []);
      if (!hasParameter(operation, 'X-Request-Id', 'header')) parameters.push(REQUEST_ID);
      if (WRITE.has(method) && !hasParameter(operation, 'Idempotency-Key', 'header'))
        parameters.push(IDEMPOTENCY_KEY);
      const reads = method === 'get' && path.startsWith('/api/');
      if (reads && !hasParameter(operation, 'consistentWith', 'query')) parameters.push(CONSISTENT_WITH);
      if (reads && !hasParameter(operation, 'If-None-Match', 'header')) parameters.push(IF_NONE_MATCH);
      const responses = (operation.responses ??= {});
      for (const status of statusesOf(method, path, operation)) {
        responses[status] = {
          description: PROBLEMS[status],
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
      }
      if (reads) {
        responses['304'] ??= {
          description: 'Not modified: the answer of the `If-None-Match` tag still holds',
        };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[23]/.test(status)) continue;
        const headers = ((response.headers as Json | undefined) ??= {});
        headers['X-Request-Id'] ??= { description: 'The request id', schema: { type: 'string' } };
        if (reads) headers.ETag ??= { description: 'Weak tag of this answer', schema: { type: 'string' } };
      }
    }
  }
  return document;
}
