import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, problemFields, problemText, type Problem } from '../api';
import { t } from '../i18n/i18n';
import { onLink } from '../router';

export function Link({
  href,
  children,
  class: className,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <a href={href} onClick={onLink} class={className}>
      {children}
    </a>
  );
}

export function ProblemBox({ problem }: { problem: Problem }) {
  const fields = problemFields(problem);
  return (
    <div class="problem" role="alert">
      <p>{problemText(problem)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p class="loading" aria-live="polite">
      {t('app.loading')}
    </p>
  );
}

export type Loaded<T> = { data?: T; problem?: Problem; loading: boolean };

/**
 * GETs `url` (again when it or `version` changes); a refusal is kept as its problem for the
 * screen to show. While the answer for the current url is not in, `loading` is true — also on
 * the render where the url has just changed, so a screen never shows a stale "nothing".
 */
export function useGet<T>(url: string | null, version = 0): Loaded<T> {
  const key = url === null ? null : `${version} ${url}`;
  const [state, setState] = useState<{ key: string | null; data?: T; problem?: Problem }>({ key: null });
  useEffect(() => {
    if (url === null) return;
    let live = true;
    api<T>('GET', url).then(
      (data) => live && setState({ key, data }),
      (error: unknown) =>
        live && setState({ key, problem: error instanceof ApiError ? error.problem : { status: 0 } }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  if (key === null) return { loading: false };
  // The previous answer stays shown while the next one loads (a date changed): no flicker.
  return {
    data: state.data,
    problem: state.key === key ? state.problem : undefined,
    loading: state.key !== key,
  };
}

export function Forbidden() {
  return (
    <section class="card forbidden" aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">{t('forbidden.title')}</h1>
      <p>{t('forbidden.text')}</p>
      <Link href="/beranda">{t('forbidden.home')}</Link>
    </section>
  );
}

export function NotFound() {
  return (
    <section class="card">
      <h1>{t('notFound.title')}</h1>
      <Link href="/beranda">{t('notFound.home')}</Link>
    </section>
  );
}

/** A refusal as the screen shows it: 403 as the forbidden page, anything else as a problem box. */
export function Refusal({ problem }: { problem: Problem }) {
  return problem.status === 403 ? <Forbidden /> : <ProblemBox problem={problem} />;
}
