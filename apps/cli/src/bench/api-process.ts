import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * The API as `npm start` runs it (its own process, embedded mode, SQLite in `dir`), for the
 * benches that measure what a client sees: /health latency and the process's memory while
 * large requests are in flight.
 */
export interface ApiProcess {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export async function startApi(dir: string): Promise<ApiProcess> {
  const port = await freePort();
  const root = resolve(__dirname, '../../../..');
  const child = spawn(
    process.execPath,
    ['-r', join(root, 'scripts/register.js'), join(root, 'apps/api/src/main.ts')],
    {
      env: {
        ...process.env,
        LEDGER_STORE: 'sqlite',
        LEDGER_DATA_DIR: dir,
        PORT: String(port),
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForHealth(port);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, pid: child.pid!, stop };
}

/** What watchApi saw while a bench's requests were in flight. */
export interface ApiWatched {
  healthPolls: number;
  healthMaxMs: number;
  healthFailures: number;
  eventLoopMaxMs: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
}

/**
 * Polls /health every 50 ms and samples the API's resident memory every 100 ms until stopped.
 * Also reads the longest event-loop delay the API itself saw meanwhile (its /metrics, whose
 * histogram restarts at every scrape): on a loaded machine a slow /health answer may only be
 * waiting for a core, while a long event-loop delay is the API holding its own loop.
 */
export async function watchApi(api: ApiProcess) {
  await eventLoopMaxMs(api.port);
  const rssBefore = rssMb(api.pid);
  const seen = { polls: 0, maxMs: 0, failures: 0, rssPeak: rssBefore };
  let stopped = false;
  const sampler = setInterval(() => (seen.rssPeak = Math.max(seen.rssPeak, rssMb(api.pid))), 100);
  const poller = (async () => {
    while (!stopped) {
      const started = performance.now();
      const status = await call(api.port, 'GET', '/health').then(
        (r) => r.status,
        () => 0,
      );
      seen.polls += 1;
      seen.maxMs = Math.max(seen.maxMs, performance.now() - started);
      if (status !== 200) seen.failures += 1;
      await sleep(50);
    }
  })();
  return {
    rssBefore,
    async stop(): Promise<ApiWatched> {
      stopped = true;
      await poller;
      clearInterval(sampler);
      seen.rssPeak = Math.max(seen.rssPeak, rssMb(api.pid));
      return {
        eventLoopMaxMs: await eventLoopMaxMs(api.port),
        healthPolls: seen.polls,
        healthMaxMs: Math.round(seen.maxMs),
        healthFailures: seen.failures,
        rssBeforeMb: rssBefore,
        rssPeakMb: seen.rssPeak,
        rssGrowthMb: seen.rssPeak - rssBefore,
      };
    },
  };
}

export interface Answer {
  status: number;
  rule: string;
  bytes: number;
  /** The first characters of the body (2,000 unless asked for more). */
  head: string;
}

export async function timed(workload: string, send: () => Promise<Answer>) {
  const started = performance.now();
  const { status, rule, bytes, head } = await send().catch((error: Error) => ({
    status: 0,
    rule: error.message,
    bytes: 0,
    head: '',
  }));
  return { workload, status, rule, bytes, head, seconds: (performance.now() - started) / 1000 };
}

/** One HTTP request; the answer is counted, not kept, except its first `keep` characters and a problem's rule. */
export function call(
  port: number,
  method: string,
  path: string,
  token?: string,
  body?: Buffer | Readable,
  headers: Record<string, string> = {},
  keep = 2000,
): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let bytes = 0;
        let head = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (head.length < keep) head += chunk.toString('utf8');
        });
        res.on('end', () => {
          let rule = '';
          if (String(res.headers['content-type']).includes('problem')) {
            try {
              rule = (JSON.parse(head) as { type?: string }).type?.split('/').pop() ?? '';
            } catch {
              rule = '?';
            }
          }
          done({ status: res.statusCode ?? 0, rule, bytes, head });
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    if (body && !Buffer.isBuffer(body)) body.pipe(req);
    else req.end(body);
  });
}

async function eventLoopMaxMs(port: number): Promise<number> {
  const { head } = await call(port, 'GET', '/metrics', undefined, undefined, {}, 1_000_000);
  const seconds = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(head)?.[1];
  return seconds ? Math.round(Number(seconds) * 1000) : -1;
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const ok = await call(port, 'GET', '/health').then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error('the API did not answer /health within 120 s');
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
