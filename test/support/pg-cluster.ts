/**
 * A throwaway PostgreSQL server of the test's own (initdb + pg_ctl into a temporary folder,
 * on a free port), which the test may stop and start; the shared server is never touched.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

// initdb and postgres refuse to run as root: as root the cluster runs as the postgres user.
const asRoot = process.getuid?.() === 0;
const RUNUSER = '/usr/sbin/runuser';

/** Why no cluster of the test's own can be made here, or undefined when it can. */
export function pgClusterUnavailable(): string | undefined {
  if (!binDir()) return 'initdb not found under /usr/lib/postgresql/*/bin';
  if (asRoot && !existsSync(RUNUSER)) return 'running as root and runuser is missing (initdb refuses root)';
  return undefined;
}

export interface PgCluster {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir()!;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const exec = (tool: string, args: string[]) =>
    asRoot
      ? run(RUNUSER, ['-u', 'postgres', '--', join(bin, tool), ...args], { timeout: 120_000 })
      : run(join(bin, tool), args, { timeout: 120_000 });
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  // The superuser is named as the shared server's, so connection strings look alike.
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'root', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']).then(() => undefined);
  const stop = () => exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).then(() => undefined);
  await start();
  return {
    url: `postgres://root@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
