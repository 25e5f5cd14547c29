import { useState } from 'preact/hooks';
import { ApiError, api, type Problem } from '../api';
import { ProblemBox } from '../components/common';
import { t } from '../i18n/i18n';

const value = (e: Event) => (e.target as HTMLInputElement).value;

/**
 * Ubah kata sandi: every signed-in user changes their own password. The API checks the current
 * one (a wrong one counts towards the lock-out) and the new one's rules, and ends the account's
 * other sessions; this one goes on. The repeat is checked here only, before anything is sent.
 */
export function ChangePassword() {
  const empty = { currentPassword: '', newPassword: '', repeat: '' };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState<number | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setProblem(null);
    setDone(null);
    setMismatch(form.newPassword !== form.repeat);
    if (form.newPassword !== form.repeat) return;
    setBusy(true);
    try {
      const answer = await api<{ sessionsEnded: number }>('POST', '/api/session/password', {
        currentPassword: form.currentPassword,
        newPassword: form.newPassword,
      });
      setDone(answer.sessionsEnded);
      setForm(empty);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
      setForm({ ...form, currentPassword: '' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card sign-in" aria-labelledby="password-title">
      <h1 id="password-title">{t('password.title')}</h1>
      <p>{t('password.intro')}</p>
      <form class="form" onSubmit={submit}>
        <label>
          {t('password.current')}
          <input
            name="currentPassword"
            type="password"
            autocomplete="current-password"
            required
            value={form.currentPassword}
            onInput={(e) => setForm({ ...form, currentPassword: value(e) })}
          />
        </label>
        <label>
          {t('password.new')}
          <input
            name="newPassword"
            type="password"
            autocomplete="new-password"
            required
            value={form.newPassword}
            onInput={(e) => setForm({ ...form, newPassword: value(e) })}
          />
        </label>
        <label>
          {t('password.repeat')}
          <input
            name="repeat"
            type="password"
            autocomplete="new-password"
            required
            value={form.repeat}
            onInput={(e) => setForm({ ...form, repeat: value(e) })}
          />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t('password.busy') : t('password.submit')}
        </button>
      </form>
      {mismatch && (
        <p class="problem" role="alert">
          {t('password.mismatch')}
        </p>
      )}
      {problem && <ProblemBox problem={problem} />}
      {done !== null && (
        <p class="success" role="status">
          {t('password.changed', { count: done })}
        </p>
      )}
    </section>
  );
}
