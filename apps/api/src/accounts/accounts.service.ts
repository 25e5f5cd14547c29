import { createHash, randomBytes } from 'node:crypto';
import { HttpStatus, Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Principal, Role, SessionAuthenticator } from '@ledger/platform/auth';
import { isRole } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import type { ProblemField } from '@ledger/platform/http/problem';
import { commandContext, type CommandContext } from '@ledger/ledger/shared/command.deps';
import { accountFieldProblems } from '@ledger/ledger/accounts/create/create-account.decider';
import { createAccount } from '@ledger/ledger/accounts/create/create-account.handler';
import { disableAccount } from '@ledger/ledger/accounts/disable/disable-account.handler';
import { enableAccount } from '@ledger/ledger/accounts/enable/enable-account.handler';
import { accountIdByName, loadAccount, usernameKey } from '@ledger/ledger/accounts/account.load';
import { changePassword } from '@ledger/ledger/accounts/change-password/change-password.handler';
import { newPasswordProblems } from '@ledger/ledger/accounts/change-password/password-policy';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
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
      outcome.ok && row
        ? { id: row.username, role: row.role, region: row.regions.join(',') }
        : { id: 'anonymous', role: 'none' },
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

  /**
   * A signed-in user's change of their own password: the new one's rules first (422, nothing
   * recorded), then the lock-out and the current password, each failure recorded and counted
   * like a failed sign-in. The change ends the account's other sessions; this one goes on.
   */
  async changePassword(
    sessionId: string,
    principal: Principal,
    body: Record<string, unknown>,
    address: string,
  ): Promise<{ accountId: string; sessionsEnded: number; consistencyToken: number }> {
    const current = body.currentPassword;
    if (typeof current !== 'string' || current === '' || current.length > PASSWORD_MAX) {
      throw invalid([
        {
          field: 'currentPassword',
          rule: 'isString',
          message: `kata sandi sekarang wajib diisi (paling banyak ${PASSWORD_MAX} karakter)`,
        },
      ]);
    }
    const row = principal.accountId ? await this.credentials.byUsername(principal.id) : undefined;
    if (!row || row.accountId !== principal.accountId) {
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'auth.session', 'Sesi tidak berlaku');
    }
    const problems = newPasswordProblems(body.newPassword, {
      username: row.username,
      currentPassword: current,
    });
    if (problems.length > 0) {
      throw new RuleViolation(
        'account.newPassword',
        'Kata sandi baru tidak memenuhi syarat',
        'unprocessable',
        undefined,
        problems,
      );
    }
    const now = Date.now();
    const key = usernameKey(this.runtime.secrets.nikHmacKey, row.username);
    const idHash = sha256(sessionId);
    const [failuresAt, matches, otherSessions] = await Promise.all([
      this.credentials.failuresSince(key, now - WINDOW_MS),
      passwordMatches(row.passwordHash, current),
      this.credentials.otherSessions(row.accountId, idHash),
    ]);
    // Hashed before the decision, so that nothing slow runs between recording and storing.
    const newHash = matches ? await hashPassword(body.newPassword as string) : undefined;
    const written = await changePassword(
      { store: this.runtime.store },
      commandContext(
        { id: principal.id, role: principal.role, region: principal.regions.join(',') },
        { now: new Date(now).toISOString() },
      ),
      { accountId: row.accountId, address, currentPasswordMatches: matches, failuresAt, now, otherSessions },
    );
    const { outcome } = written;
    if (!outcome.ok) {
      if (outcome.reason === 'locked') {
        const seconds = Math.ceil((outcome.retryAfterMs ?? WINDOW_MS) / 1000);
        throw new ProblemException(
          HttpStatus.TOO_MANY_REQUESTS,
          'auth.locked',
          'Terlalu banyak percobaan yang gagal',
          { detail: `Coba lagi dalam ${Math.ceil(seconds / 60)} menit`, retryAfterSeconds: seconds },
        );
      }
      await this.credentials.recordFailure(key, now);
      throw new ProblemException(
        HttpStatus.FORBIDDEN,
        'account.password.current',
        'Kata sandi sekarang salah',
        {
          errors: [{ field: 'currentPassword', rule: 'matches', message: 'kata sandi sekarang salah' }],
        },
      );
    }
    await this.credentials.changePassword(row.accountId, newHash!, idHash);
    return {
      accountId: row.accountId,
      sessionsEnded: otherSessions,
      consistencyToken: written.consistencyToken,
    };
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
