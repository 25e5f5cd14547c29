/**
 * The whole ledger in-process for end-to-end tests over HTTP: the real configuration, the
 * real runtime (event store, read database, projection runner, key store) and the real Nest
 * application, driven through Fastify's `inject` (no port, no network).
 *
 * Two modes: SQLite in a temporary data directory, and PostgreSQL in a schema of its own
 * (`e2e_<hex>`) that is dropped when the app is closed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signToken, type Role } from '@ledger/platform/auth';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime, type LedgerRuntime } from '@ledger/runtime';
import { ledgerProjections } from '@ledger/read-models/projections';
import { Client } from 'pg';
import { createApp } from '../../apps/api/src/create-app';

export type LedgerMode = 'sqlite' | 'postgres';

export interface InjectOptions {
  token?: string;
  headers?: Record<string, string>;
  /** JSON body (object) or a raw body (string / Buffer, with its content-type in `headers`). */
  payload?: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  /** The body parsed as JSON (problem details included); undefined when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface LedgerApp {
  mode: LedgerMode;
  app: NestFastifyApplication;
  runtime: LedgerRuntime;
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    options?: InjectOptions,
  ): Promise<ApiResponse>;
  get(url: string, token?: string, headers?: Record<string, string>): Promise<ApiResponse>;
  post(
    url: string,
    token: string | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  put(
    url: string,
    token: string | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
  token(role: Role, regions: string[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

const SECRET_VARIABLES = [
  'LEDGER_KEK',
  'LEDGER_NIK_HMAC_KEY',
  'LEDGER_JWT_SECRET',
  'LEDGER_INTEGRITY_SIGNING_KEY',
] as const;

/** Boots the ledger; `env` adds to (or overrides) the harness's variables. */
export async function startLedgerApp(mode: LedgerMode, env: Record<string, string> = {}): Promise<LedgerApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const schema = `e2e_${randomBytes(6).toString('hex')}`;
  const base: Record<string, string> = {
    LEDGER_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // Generous: a loaded machine may take seconds to project a write, and a test that waits
    // for its own write must not see a 503 for it.
    LEDGER_CONSISTENCY_TIMEOUT_MS: '10000',
  };
  const secrets: Record<string, string> = {};
  if (mode === 'postgres') {
    base.LEDGER_STORE = 'postgres';
    base.DATABASE_URL = process.env.DATABASE_URL ?? '';
    base.LEDGER_PG_SCHEMA = schema;
    for (const name of SECRET_VARIABLES) secrets[name] = randomBytes(32).toString('base64');
  }
  const config = loadConfig({ ...base, ...secrets, ...env });

  const runtime: LedgerRuntime = await openRuntime(config, { projections: ledgerProjections() });

  const dispose = async () => {
    if (mode === 'postgres') {
      const client = new Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  let app: NestFastifyApplication;
  try {
    app = await createApp(runtime);
    runtime.runner.start();
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await runtime.close();
    await dispose();
    throw error;
  }
  const fastify = app.getHttpAdapter().getInstance();

  const request: LedgerApp['request'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined;
    if (options.payload === undefined) payload = undefined;
    else if (typeof options.payload === 'string' || Buffer.isBuffer(options.payload))
      payload = options.payload;
    else {
      payload = JSON.stringify(options.payload);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fastify.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    let body: unknown;
    try {
      body = response.body === '' ? undefined : JSON.parse(response.body);
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text: response.body, body };
  };

  let closed = false;
  return {
    mode,
    app,
    runtime,
    request,
    get: (url, token, headers) => request('GET', url, { token, headers }),
    post: (url, token, payload, headers) => request('POST', url, { token, payload: payload ?? {}, headers }),
    put: (url, token, payload, headers) => request('PUT', url, { token, payload: payload ?? {}, headers }),
    token: (role, regions, sub = `${role}-${regions.join('-')}`) =>
      signToken(runtime.secrets.jwtSecret, { sub, role, regions, ttlSeconds: 3600 }),
    async close() {
      if (closed) return;
      closed = true;
      // createApp does not hook runtime.close() on the app's close (main.ts adds that hook
      // itself), so both are closed here, each once.
      try {
        await app.close();
      } finally {
        await runtime.close();
        await dispose();
      }
    },
  };
}

/** A multipart/form-data body with one file in the field `file`. */
export function multipartFile(
  fileName: string,
  contentType: string,
  content: Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----ledger-e2e-${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The calendar day in Indonesia's western time zone, as the handlers count it. */
export function todayWib(): string {
  return new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
