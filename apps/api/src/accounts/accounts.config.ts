import { ConfigError } from '@ledger/platform/config';

export type CookieSecure = 'auto' | 'always' | 'never';

/**
 * LEDGER_COOKIE_SECURE: `auto` (default) marks the session cookie Secure when the request came
 * over HTTPS (as Fastify sees it, through LEDGER_TRUST_PROXY's proxies), `always` always
 * (behind a TLS proxy that is not trusted for X-Forwarded-Proto), `never` never.
 * LEDGER_SESSION_HOURS: how long a session lives after sign-in (default 8, at most 24).
 */
export function accountsConfig(env: NodeJS.ProcessEnv = process.env): {
  cookieSecure: CookieSecure;
  sessionHours: number;
} {
  const secure = (env.LEDGER_COOKIE_SECURE?.trim() || 'auto').toLowerCase();
  if (secure !== 'auto' && secure !== 'always' && secure !== 'never') {
    throw new ConfigError('LEDGER_COOKIE_SECURE', `must be auto, always or never, got "${secure}"`);
  }
  const hoursText = env.LEDGER_SESSION_HOURS?.trim() || '8';
  const sessionHours = Number(hoursText);
  if (!/^\d{1,2}$/.test(hoursText) || sessionHours < 1 || sessionHours > 24) {
    throw new ConfigError(
      'LEDGER_SESSION_HOURS',
      `must be a whole number of hours, 1 to 24, got "${hoursText}"`,
    );
  }
  return { cookieSecure: secure, sessionHours };
}
