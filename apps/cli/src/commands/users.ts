import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { accountFieldProblems } from '@ledger/ledger/accounts/create/create-account.decider';
import { createAccount } from '@ledger/ledger/accounts/create/create-account.handler';
import { commandContext } from '@ledger/ledger/shared/command.deps';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { loadConfig } from '@ledger/platform/config';
import { ledgerProjections } from '@ledger/read-models/projections';
import { openRuntime } from '@ledger/runtime';
import { passwordProblems } from '../../../api/src/accounts/accounts.service';
import { CredentialStore } from '../../../api/src/accounts/credential-store';
import { hashPassword } from '../../../api/src/accounts/passwords';
import { CliError } from '../cli-error';

/**
 * `users create-admin --username <name>`: the first administrator of the web app (national
 * scope), who then creates every other account in the app. The password is read from a
 * prompt (twice, not echoed) or, when stdin is not a terminal, from its first line — never
 * from an argument, which any user of the machine could read in `ps`.
 */
export async function createAdminCommand(options: { username?: string }): Promise<void> {
  const username = (options.username ?? '').trim().toLowerCase();
  const fieldProblems = accountFieldProblems({ username, role: 'administrator', regions: ['ID'] });
  if (fieldProblems.length > 0) throw new CliError(`--username: ${fieldProblems[0].message}`);
  const password = await readPassword();
  const problems = passwordProblems(password);
  if (problems.length > 0) throw new CliError(problems[0].message);

  const runtime = await openRuntime(loadConfig(), { projections: ledgerProjections() });
  try {
    const credentials = await CredentialStore.open(runtime.config);
    try {
      const ctx = commandContext({ id: 'cli', role: 'administrator' });
      const passwordHash = await hashPassword(password);
      const { accountId } = await createAccount(
        { store: runtime.store, nikHmacKey: runtime.secrets.nikHmacKey },
        ctx,
        { username, role: 'administrator', regions: ['ID'], address: 'cli' },
      ).catch((error: unknown) => {
        if (error instanceof RuleViolation) throw new CliError(error.message);
        throw error;
      });
      await credentials.addAccount(
        { accountId, username, role: 'administrator', regions: ['ID'], disabled: false, createdAt: ctx.now },
        passwordHash,
      );
      process.stdout.write(`administrator ${username} created (${accountId})\n`);
    } finally {
      await credentials.close();
    }
  } finally {
    await runtime.close();
  }
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const first = await prompt('Kata sandi: ');
  const second = await prompt('Ulangi kata sandi: ');
  if (first !== second) throw new CliError('the two passwords differ');
  return first;
}

/** A prompt whose answer is not echoed. */
function prompt(question: string): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
