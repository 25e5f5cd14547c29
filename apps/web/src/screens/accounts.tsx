import { useState } from 'preact/hooks';
import { ApiError, api, type Problem } from '../api';
import { Loading, ProblemBox, Refusal, useGet } from '../components/common';
import { formatDate } from '../format';
import { t } from '../i18n/i18n';

interface Account {
  accountId: string;
  username: string;
  role: string;
  regions: string[];
  disabled: boolean;
}
const ROLES = ['village_operator', 'program_admin', 'finance', 'auditor', 'viewer', 'administrator'];
const TOKEN_ROLES = ROLES.slice(0, 5);
const codes = (text: string) =>
  text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** Accounts (create, disable, enable) and API tokens for report builders: the administrator's screen. */
/** The role and region fields an account and an API token share. */
function RoleAndRegions(props: {
  roles: string[];
  form: { role: string; regions: string };
  set: (change: { role?: string; regions?: string }) => void;
}) {
  return (
    <>
      <label>
        {t('accounts.role')}
        <select value={props.form.role} onChange={(e) => props.set({ role: value(e) })}>
          {props.roles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('accounts.regions')}
        <input value={props.form.regions} onInput={(e) => props.set({ regions: value(e) })} />
      </label>
    </>
  );
}

export function Accounts() {
  const [version, setVersion] = useState(0);
  const accounts = useGet<{ items: Account[] }>('/api/accounts', version);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ username: '', password: '', role: 'viewer', regions: '' });
  const [tokenForm, setTokenForm] = useState({ subject: '', role: 'viewer', regions: '', days: '30' });
  const [issued, setIssued] = useState<{ token: string; expiresAt: string } | null>(null);

  const run = async (action: () => Promise<void>) => {
    setProblem(null);
    setNotice(null);
    try {
      await action();
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
    }
  };

  if (accounts.problem) return <Refusal problem={accounts.problem} />;
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title')}</h1>
      {problem && <ProblemBox problem={problem} />}
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <h2>{t('accounts.list')}</h2>
      {!accounts.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('accounts.username')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.regionsShort')}</th>
                <th scope="col">{t('accounts.status')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('accounts.disable')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.items.map((a) => (
                <tr key={a.accountId}>
                  <td>{a.username}</td>
                  <td>{t(`role.${a.role}`)}</td>
                  <td>{a.regions.join(', ')}</td>
                  <td>{a.disabled ? t('accounts.disabled') : t('accounts.active')}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() =>
                        run(() =>
                          api(
                            'POST',
                            `/api/accounts/${a.accountId}/${a.disabled ? 'enabling' : 'disabling'}`,
                            {},
                          ),
                        )
                      }
                    >
                      {a.disabled ? t('accounts.enable') : t('accounts.disable')}{' '}
                      <span class="visually-hidden">{a.username}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('accounts.create')}</h2>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api('POST', '/api/accounts', { ...form, regions: codes(form.regions) });
            setNotice(t('accounts.created', { username: form.username }));
            setForm({ username: '', password: '', role: 'viewer', regions: '' });
          });
        }}
      >
        <label>
          {t('accounts.username')}
          <input
            value={form.username}
            autocomplete="off"
            onInput={(e) => setForm({ ...form, username: value(e) })}
          />
        </label>
        <label>
          {t('accounts.password')}
          <input
            type="password"
            autocomplete="new-password"
            value={form.password}
            onInput={(e) => setForm({ ...form, password: value(e) })}
          />
        </label>
        <RoleAndRegions roles={ROLES} form={form} set={(change) => setForm({ ...form, ...change })} />
        <button type="submit">{t('accounts.create')}</button>
      </form>
      <h2>{t('accounts.tokens')}</h2>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const answer = await api<{ token: string; expiresAt: string }>('POST', '/api/tokens', {
              subject: tokenForm.subject,
              role: tokenForm.role,
              regions: codes(tokenForm.regions),
              days: Number(tokenForm.days),
            });
            setIssued(answer);
          });
        }}
      >
        <label>
          {t('accounts.subject')}
          <input
            value={tokenForm.subject}
            onInput={(e) => setTokenForm({ ...tokenForm, subject: value(e) })}
          />
        </label>
        <RoleAndRegions
          roles={TOKEN_ROLES}
          form={tokenForm}
          set={(change) => setTokenForm({ ...tokenForm, ...change })}
        />
        <label>
          {t('accounts.days')}
          <input
            type="number"
            min={1}
            max={366}
            value={tokenForm.days}
            onInput={(e) => setTokenForm({ ...tokenForm, days: value(e) })}
          />
        </label>
        <button type="submit">{t('accounts.issue')}</button>
      </form>
      {issued && (
        <div class="card" role="status">
          <p>{t('accounts.issued', { date: formatDate(issued.expiresAt) })}</p>
          <code class="token">{issued.token}</code>
        </div>
      )}
    </section>
  );
}
