import { ACCOUNT_ROLES } from '@ledger/ledger/accounts/account.events';
import {
  arrayOf,
  boolean,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** Accounts of the web app, its sessions, and the API tokens an administrator issues. */

const ACCOUNT_ID = '0197a000-0000-7000-8000-0000000000c1';
const USER = {
  accountId: ACCOUNT_ID,
  username: 'admin.muaraenim',
  role: 'program_admin',
  regions: ['1603'],
};

export const accountsContract: AreaContract = {
  schemas: {
    SessionUser: object({
      accountId: nullable(uuid()),
      username: string(),
      role: oneOf([...ACCOUNT_ROLES]),
      regions: arrayOf(string(), 'Kode wilayah of the account’s scope; ID for the country'),
    }),
    SignedIn: object({
      user: ref('SessionUser'),
      csrfToken: string('Send it as X-CSRF-Token with every write made with the session cookie'),
      expiresAt: instant(),
    }),
    Session: object({
      user: nullable(ref('SessionUser')),
      csrfToken: nullable(string()),
      expiresAt: nullable(instant()),
    }),
    Account: object({
      accountId: uuid(),
      username: string(),
      role: oneOf([...ACCOUNT_ROLES]),
      regions: arrayOf(string()),
      disabled: boolean(),
    }),
    AccountList: object({ items: arrayOf(ref('Account')) }),
    AccountWritten: written({ accountId: uuid() }),
    AccountChanged: written({ accountId: uuid(), changed: boolean('False when it already was so') }),
    PasswordChanged: written({
      accountId: uuid(),
      sessionsEnded: integer('Other sessions of the account the change ended'),
    }),
    TokenIssued: written({
      tokenId: uuid(),
      expiresAt: instant(),
      token: string('The bearer token: shown this once, kept nowhere'),
    }),
  },
  operations: {
    'post /api/session': {
      schema: 'SignedIn',
      description: 'Signed in: the session cookie is set',
      example: {
        user: USER,
        csrfToken: 'q3H0l8mVZ2oQ1v8WcRr6nB0sJq4dY7tX5eK9aL2pF1g',
        expiresAt: '2026-12-01T10:00:00.000Z',
      },
    },
    'get /api/session': {
      schema: 'Session',
      description: 'The session of the cookie, or nulls',
      example: { user: null, csrfToken: null, expiresAt: null },
    },
    'post /api/session/password': {
      schema: 'PasswordChanged',
      description: 'Changed; the account’s other sessions ended, this one goes on',
      example: { accountId: ACCOUNT_ID, sessionsEnded: 1, consistencyToken: 1049 },
    },
    'get /api/accounts': {
      schema: 'AccountList',
      description: 'Every account',
      example: { items: [{ ...USER, disabled: false }] },
    },
    'post /api/accounts': {
      schema: 'AccountWritten',
      description: 'Created',
      example: { accountId: ACCOUNT_ID, consistencyToken: 1050 },
    },
    'post /api/accounts/{id}/disabling': {
      schema: 'AccountChanged',
      description: 'Disabled; its sessions ended',
      example: { accountId: ACCOUNT_ID, changed: true, consistencyToken: 1051 },
    },
    'post /api/accounts/{id}/enabling': {
      schema: 'AccountChanged',
      description: 'Enabled',
      example: { accountId: ACCOUNT_ID, changed: true, consistencyToken: 1052 },
    },
    'post /api/tokens': {
      schema: 'TokenIssued',
      description: 'Issued',
      example: {
        tokenId: '0197a000-0000-7000-8000-0000000000d1',
        expiresAt: '2027-03-01T02:00:00.000Z',
        token: 'eyJhbGciOiJIUzI1NiJ9…',
        consistencyToken: 1053,
      },
    },
  },
};
