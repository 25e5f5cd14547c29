/**
 * Small builders for the response schemas of the contract (OpenAPI 3.0 schema objects), so
 * that each area's file reads like the TypeScript type it describes.
 *
 * Every object is open (`additionalProperties: true`): a field the ledger adds later must not
 * break a client generated from today's document. `required` lists what is always present;
 * a field that may be null says so (`nullable`), one that may be absent is left out of it.
 */

export type Schema = Record<string, unknown>;

/** What one operation answers on success, keyed in an area's table by `method path`. */
export interface OperationContract {
  /** A name in `components.schemas`. */
  schema: string;
  /** The success status this describes (default: the one 2xx the document declares). */
  status?: string;
  description?: string;
  /** One real-looking answer, linted against the schema. */
  example?: unknown;
  /** The answer is also CSV (one table) and XLSX (every table), by `?format=` or `Accept`. */
  spreadsheets?: boolean;
  /** Query parameters the controller reads but does not declare. */
  query?: Schema[];
}

export interface AreaContract {
  schemas: Record<string, Schema>;
  operations: Record<string, OperationContract>;
}

/** An object with its properties; `optional` names the ones that may be absent. */
export function object(
  properties: Record<string, Schema>,
  optional: string[] = [],
  description?: string,
): Schema {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return {
    type: 'object',
    ...(description ? { description } : {}),
    ...(required.length > 0 ? { required } : {}),
    properties,
    additionalProperties: true,
  };
}

/** A map of names to values of one schema (counts by reason, by action, …). */
export const mapOf = (values: Schema, description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: values,
});

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** Only null, for the other branch of a nullable reference. */
const NULL: Schema = { type: 'object', nullable: true, enum: [null] };

/**
 * A schema that may also be null. A reference becomes "it or null" (3.0 ignores siblings of
 * `$ref`), and an enum lists null too, as validators of 3.0 documents require.
 */
export function nullable(schema: Schema): Schema {
  if ('$ref' in schema) return { oneOf: [schema, NULL] };
  const values = schema.enum as unknown[] | undefined;
  return { ...schema, nullable: true, ...(values ? { enum: [...values, null] } : {}) };
}

export const arrayOf = (items: Schema, description?: string): Schema => ({
  type: 'array',
  ...(description ? { description } : {}),
  items,
});

export const string = (description?: string, example?: string): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...(example !== undefined ? { example } : {}),
});

export const integer = (description?: string, example?: number): Schema => ({
  type: 'integer',
  ...(description ? { description } : {}),
  ...(example !== undefined ? { example } : {}),
});

export const number = (description?: string): Schema => ({
  type: 'number',
  ...(description ? { description } : {}),
});

export const boolean = (description?: string): Schema => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});

export const oneOf = (values: readonly string[], description?: string): Schema => ({
  type: 'string',
  enum: [...values],
  ...(description ? { description } : {}),
});

export const uuid = (description?: string): Schema => ({
  type: 'string',
  format: 'uuid',
  ...(description ? { description } : {}),
});

/** A calendar day, YYYY-MM-DD (in Indonesia's western time zone where it is a "today"). */
export const date = (description?: string): Schema => ({
  type: 'string',
  format: 'date',
  ...(description ? { description } : {}),
});

export const instant = (description?: string): Schema => ({
  type: 'string',
  format: 'date-time',
  ...(description ? { description } : {}),
});

/** Rupiah are integers. */
export const rupiah = (description?: string): Schema => integer(description ? `${description} (Rp)` : 'Rp');

/** A percentage with two decimals, null when there is no denominator. */
export const percentage = (description: string): Schema =>
  nullable({
    type: 'number',
    minimum: 0,
    description: `${description}: percent, two decimals; null without a denominator`,
  });

export const CONSISTENCY_TOKEN: Schema = integer(
  'The log position of the write: pass it as `consistentWith` to read your own write',
  1042,
);

/** Writes answer their result with the consistency token (`Written<R>`). */
export function written(
  properties: Record<string, Schema>,
  optional: string[] = [],
  description?: string,
): Schema {
  return object({ ...properties, consistencyToken: CONSISTENCY_TOKEN }, optional, description);
}

/** A query parameter of a string schema. */
export function queryParameter(name: string, description: string, schema: Schema, required = false): Schema {
  return { name, in: 'query', required, description, schema };
}

export const DATE_PARAMETER = (name: string, description: string, required = false): Schema =>
  queryParameter(name, description, { type: 'string', format: 'date', example: '2026-11-30' }, required);

export const FORMAT_PARAMETER = queryParameter(
  'format',
  'json (default), csv (one table, `;`-separated with decimal commas for Indonesian Excel) or xlsx (every table as a sheet); or the Accept header',
  { type: 'string', enum: ['json', 'csv', 'xlsx'] },
);

export const SHEET_PARAMETER = queryParameter(
  'sheet',
  'CSV only: which table, by its name or number (default the first)',
  { type: 'string' },
);
