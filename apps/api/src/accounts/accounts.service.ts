import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Principal, Role, SessionAuthenticator } from '@ledger/platform/auth';
import { isRole } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import type { ProblemField } from '@ledger/platform/http/problem';
import { commandContext, type CommandContext } from '@ledger/ledger/shared/command.deps';
import { accountFieldProblems } from '@ledger/ledger/accounts/create/create-account.decider';
import { createAccount } from '@ledger/ledger/accounts/create/create-account.handler';
import { disableAccount, enableAccount } from '@ledger/ledger/accounts/disable/disable-account.handler';
import { accountIdByName, loadAccount, usernameKey } from '@ledger/ledger/accounts/account.load';
import { decideSignIn } from '@ledger/ledger/accounts/sign-in/sign-in.decider';
import { WINDOW_MS } from '@ledger/ledger/accounts/sign-in/lockout';
import { recordAccountActivity } from '@ledger/ledger/accounts/sign-in/sign-in.handler';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import { CredentialStore, type AccountRow } from './credential-store';
import { dummyHash, hashPassword, passwordMatches, PASSWORD_MAX, PASSWORD_MIN } from './passwords';
import { accountsConfig } from './accounts.config';

export const CREDENTIALS = Symbol('CREDENTIALS');

export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  expiresAt: number;
  user: PublicAccount;
}

export interface PublicAccount {
  accountId: string;
  username: string;
  role: string;
  regions: string[];
  disabled: boolean;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const publicAccount = ({ accountId, username, role, regions, disabled }: AccountRow): PublicAccount => ({
  accountId,
  username,
  role,
  regions,
  disabled,
});

function invalid(errors: ProblemField[]): ProblemException {
  return new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
    errors,
  });
}

export function passwordProblems(password: unknown): ProblemField[] {
  if (typeof password !== 'string')
    return [{ field: 'password', rule: 'isString', message: 'kata sandi wajib diisi' }];
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    return [
      {
        field: 'password',
        rule: 'length',
        message: `kata sandi ${PASSWORD_MIN}–${PASSWORD_MAX} karakter`,
      },
    ];
  }
  return [];
}

/**
 * Accounts, sign-in and sessions. The events go to the log through the ledger's handlers; the
 * hash, the sessions and the failure counts to the credentials store (see CredentialStore).
 */
@Injectable()
export class AccountsService implements SessionAuthenticator, OnModuleDestroy {
  readonly config = accountsConfig();

  constructor(
    @Inject(RUNTIME) private readonly runtime: LedgerRuntime,
    @Inject(CREDENTIALS) readonly credentials: CredentialStore,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.credentials.close();
  }

  private get deps() {
    return { store: this.runtime.store, nikHmacKey: this.runtime.secrets.nikHmacKey };
  }

  /** Validates, hashes, records `AccountCreated` and stores the hash. */
  async create(ctx: CommandContext, body: Record<string, unknown>, address: string) {
    const input = {
      username: typeof body.username === 'string' ? body.username : '',
      role: typeof body.role === 'string' ? body.role : '',
      regions: Array.isArray(body.regions)
        ? body.regions.filter((r): r is string => typeof r === 'string')
        : [],
    };
    const errors: ProblemField[] = [
      ...accountFieldProblems(input),
      ...(Array.isArray(body.regions) && body.regions.length !== input.regions.length
        ? [{ field: 'regions', rule: 'isString', message: 'kode wilayah berupa teks' }]
        : []),
      ...passwordProblems(body.password),
    ];
    if (errors.length > 0) throw invalid(errors);
    const passwordHash = await hashPassword(body.password as string);
    const written = await createAccount(this.deps, ctx, { ...input, address });
    await this.credentials.addAccount(
      { accountId: written.accountId, ...input, disabled: false, createdAt: ctx.now },
      passwordHash,
    );
    return written;
  }

  async setDisabled(
    ctx: CommandContext,
    accountId: string,
    by: string,
    disabled: boolean,
    reason: string | null,
    address: string,
  ) {
    const written = disabled
      ? await disableAccount(this.deps, ctx, { accountId, byAccountId: by, reason, address })
      : await enableAccount(this.deps, ctx, accountId, address);
    await this.credentials.setDisabled(accountId, disabled);
    return written;
  }

  async list(): Promise<PublicAccount[]> {
    return (await this.credentials.accounts()).map(publicAccount);
  }

  /**
   * A sign-in. Every outcome is an event; every failure is the same 401 whatever its cause
   * (unknown name, wrong password, disabled account), and a locked name a 429 for names known
   * or not, so the answers tell nothing about which accounts exist.
   */
  async signIn(username: string, password: string, address: string): Promise<SignedIn> {
    const now = Date.now();
    const key = usernameKey(this.runtime.secrets.nikHmacKey, username);
    const row = await this.credentials.byUsername(username.trim().toLowerCase());
    const accountId = row ? row.accountId : await accountIdByName(this.runtime.store, key);
    const failuresAt = await this.credentials.failuresSince(key, now - WINDOW_MS);
    // Always one argon2 verification, also for unknown names and locked ones (timing).
    const matches = await passwordMatches(row?.passwordHash ?? (await dummyHash()), password);
    const state = accountId ? (await loadAccount(this.runtime.store, accountId)).state : undefined;
    const sessionId = randomBytes(32).toString('base64url');
    const idHash = sha256(sessionId);
    const outcome = decideSignIn(
      {
        type: 'SignIn',
        accountId: row && state ? accountId : null,
        usernameKey: key,
        address,
        passwordMatches: matches,
        failuresAt,
        now,
        session: idHash.slice(0, 16),
      },
      state ?? { status: 'none', username: null, role: null, regions: [] },
    );
    const ctx = commandContext(
      { id: outcome.ok && row ? row.username : 'anonymous', role: outcome.ok && row ? row.role : 'none' },
      { now: new Date(now).toISOString() },
    );
    await recordAccountActivity(this.runtime.store, ctx, row && state ? accountId : null, outcome.events);
    if (!outcome.ok) {
      // A locked name's refusals do not extend the lock: the wait ends when it says.
      if (outcome.reason !== 'locked') await this.credentials.recordFailure(key, now);
      if (outcome.reason === 'locked') {
        const seconds = Math.ceil((outcome.retryAfterMs ?? WINDOW_MS) / 1000);
        throw new ProblemException(
          HttpStatus.TOO_MANY_REQUESTS,
          'auth.locked',
          'Terlalu banyak percobaan masuk yang gagal',
          {
            detail: `Coba lagi dalam ${Math.ceil(seconds / 60)} menit`,
            retryAfterSeconds: seconds,
          },
        );
      }
      throw new ProblemException(
        HttpStatus.UNAUTHORIZED,
        'auth.signIn',
        'Nama pengguna atau kata sandi salah',
      );
    }
    await this.credentials.clearFailures(key, now - WINDOW_MS);
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = now + this.config.sessionHours * 3_600_000;
    await this.credentials.addSession({
      idHash,
      accountId: row!.accountId,
      csrf: csrfToken,
      expiresAt,
      address,
    });
    await this.credentials.deleteExpiredSessions(now);
    return { sessionId, csrfToken, expiresAt, user: publicAccount(row!) };
  }

  async signOut(sessionId: string, principal: Principal, address: string): Promise<void> {
    const idHash = sha256(sessionId);
    await this.credentials.deleteSession(idHash);
    await recordAccountActivity(
      this.runtime.store,
      commandContext({ id: principal.id, role: principal.role, region: principal.regions.join(',') }),
      principal.accountId ?? null,
      [
        {
          type: 'AccountSignedOut',
          data: { accountId: principal.accountId ?? principal.id, address, session: idHash.slice(0, 16) },
        },
      ],
    );
  }

  async authenticate(cookie: string): Promise<{ principal: Principal; csrf: string } | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return undefined;
    const session = await this.credentials.session(sha256(cookie));
    if (!session || session.disabled || session.expiresAt <= Date.now() || !isRole(session.role))
      return undefined;
    return {
      principal: {
        id: session.username,
        role: session.role as Role,
        regions: session.regions,
        accountId: session.accountId,
      },
      csrf: session.csrf,
    };
  }

  async sessionOf(cookie: string) {
    const session = await this.credentials.session(sha256(cookie));
    return session && { csrfToken: session.csrf, expiresAt: session.expiresAt };
  }
}
