import { hasKey, t } from './i18n/i18n';

/** An RFC 9457 problem from the API, or one made up for a network failure. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  rule?: string;
  errors?: { field?: string; rule: string; message: string }[];
  retryAfterSeconds?: number;
  requestId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title ?? `HTTP ${problem.status}`);
  }
}

export interface User {
  accountId: string | null;
  username: string;
  role: string;
  regions: string[];
}

let csrfToken: string | null = null;
export const setCsrf = (token: string | null) => (csrfToken = token);

/** The session is the HTTP-only cookie; writes carry the CSRF token and an idempotency key. */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    headers['idempotency-key'] = crypto.randomUUID();
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({ status: 0, type: 'network' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) throw new ApiError({ status: response.status, ...(parsed as object) });
  return parsed as T;
}

/** The slug of a problem type (…/problems/auth.scope → auth.scope). */
export const problemRule = (problem: Problem) => problem.type?.split('/').pop() ?? problem.rule ?? '';

/** A problem in the user's language: the catalogue's text for its rule, else the API's own title. */
export function problemText(problem: Problem): string {
  if (problem.status === 0) return t('problem.network');
  const rule = problemRule(problem);
  const key = `problem.${rule}`;
  if (hasKey(key)) {
    return t(key, { minutes: Math.ceil((problem.retryAfterSeconds ?? 900) / 60) });
  }
  return problem.title
    ? `${t('problem.generic', { status: problem.status })}: ${problem.title}`
    : t('problem.generic', { status: problem.status });
}

/** Each refused field, with the API's reason (Indonesian) — the field names are the form's. */
export const problemFields = (problem: Problem) =>
  (problem.errors ?? [])
    .filter((e) => e.field)
    .map((e) => t('problem.field', { field: e.field, message: e.message }));
