import { useState } from 'preact/hooks';
import { ApiError, api, type Problem, type User } from '../api';
import { ProblemBox } from '../components/common';
import { t } from '../i18n/i18n';

export interface Session {
  user: User;
  csrfToken: string | null;
}

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await api<Session>('POST', '/api/session', { username, password }));
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
      setPassword('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <form class="form" onSubmit={submit}>
        <label>
          {t('signIn.username')}
          <input
            name="username"
            autocomplete="username"
            required
            value={username}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          {t('signIn.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      {problem && <ProblemBox problem={problem} />}
    </section>
  );
}
