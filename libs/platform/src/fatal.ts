import { ConfigError } from './config';

/**
 * Turns a start-up failure into one line on stderr and a non-zero exit, never a bare
 * stack trace: the operator reads which variable or which database is wrong.
 * LEDGER_DEBUG=1 adds the stack for developers.
 */
export function failAndExit(error: unknown, prefix = 'ledger'): never {
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof ConfigError ? 'configuration error' : 'cannot start';
  process.stderr.write(`${prefix}: ${kind}: ${message.split('\n')[0]}\n`);
  if (process.env.LEDGER_DEBUG && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
