import { useEffect, useState } from 'preact/hooks';
import { api, setCsrf } from './api';
import { Link, Loading, NotFound } from './components/common';
import { language, setLanguage, t } from './i18n/i18n';
import { navigate, usePath } from './router';
import { Accounts } from './screens/accounts';
import { Operations } from './screens/operations';
import { ChangePassword } from './screens/password';
import { EnrollmentParticipant, ParticipantHistory, ParticipantSearch } from './screens/participant';
import { ProgramDetail, ProgramList } from './screens/programs';
import { RegionView } from './screens/region';
import { SignIn, type Session } from './screens/sign-in';
import { Upload } from './screens/upload';
import { DuesSummary } from './screens/dues/summary';
import { ProgramDues } from './screens/dues/program-months';
import { InvoiceDetail } from './screens/dues/invoice';
import { Forbidden } from './components/common';
import { ClaimList } from './screens/claims/list';
import { ClaimDetail } from './screens/claims/detail';
import { ClaimsReport } from './screens/claims/report';
import { FileClaim } from './screens/claims/file';
import { AuditTrail } from './screens/audit';
import { ProgramTreasury, TreasuryPrograms } from './screens/treasury/treasury';

type Screen =
  | 'home'
  | 'regions'
  | 'programs'
  | 'upload'
  | 'participants'
  | 'operations'
  | 'accounts'
  | 'dues'
  | 'claims'
  | 'audit'
  | 'treasury';

/** What each role's menu holds; a screen not in it is never offered (and the API refuses it anyway). */
const MENU: Record<string, Screen[]> = {
  administrator: ['accounts'],
  village_operator: ['home', 'programs', 'upload', 'participants'],
  program_admin: [
    'home',
    'regions',
    'programs',
    'dues',
    'claims',
    'upload',
    'participants',
    'audit',
    'operations',
  ],
  finance: ['home', 'regions', 'programs', 'dues', 'treasury', 'claims', 'operations'],
  auditor: [
    'home',
    'regions',
    'programs',
    'dues',
    'treasury',
    'claims',
    'participants',
    'audit',
    'operations',
  ],
  viewer: ['home', 'regions', 'programs', 'dues', 'claims'],
};
const PATHS: Record<Screen, string> = {
  home: '/beranda',
  regions: '/wilayah',
  programs: '/program',
  upload: '/unggah',
  participants: '/peserta',
  operations: '/operasi',
  accounts: '/akun',
  dues: '/iuran',
  claims: '/klaim',
  audit: '/audit',
  treasury: '/kas',
};
const LABELS: Record<Screen, string> = {
  home: 'nav.home',
  regions: 'nav.regions',
  programs: 'nav.programs',
  upload: 'nav.upload',
  participants: 'nav.participants',
  operations: 'nav.operations',
  accounts: 'nav.accounts',
  dues: 'nav.dues',
  claims: 'nav.claims',
  audit: 'nav.audit',
  treasury: 'nav.treasury',
};

const homeOf = (session: Session) => (session.user.role === 'administrator' ? '/akun' : '/beranda');

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [, rerender] = useState(0);

  useEffect(() => {
    api<{ user: Session['user'] | null; csrfToken: string | null }>('GET', '/api/session').then(
      (found) => {
        setCsrf(found.csrfToken);
        setSession(found.user ? { user: found.user, csrfToken: found.csrfToken } : null);
      },
      // The server unreachable: the sign-in form, which says so when it is tried.
      () => setSession(null),
    );
  }, []);

  useEffect(() => {
    if (session === null && path !== '/masuk') navigate('/masuk');
    if (session && (path === '/' || path === '/masuk')) navigate(homeOf(session));
  }, [session, path]);

  const switchLanguage = async () => {
    await setLanguage(language() === 'id' ? 'en' : 'id');
    rerender((n) => n + 1);
  };
  const signOut = async () => {
    try {
      await api('DELETE', '/api/session');
    } finally {
      setCsrf(null);
      setSession(null);
    }
  };

  const menu = session ? (MENU[session.user.role] ?? []) : [];
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.title')}</span>
        {session && (
          <nav aria-label={t('nav.menu')}>
            <ul>
              {menu.map((screen) => (
                <li key={screen}>
                  <Link href={PATHS[screen]} class={path.startsWith(PATHS[screen]) ? 'current' : undefined}>
                    {t(LABELS[screen])}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="tools">
          <button
            type="button"
            class="link"
            lang={language() === 'id' ? 'en' : 'id'}
            aria-label={t('nav.languageLabel')}
            onClick={switchLanguage}
          >
            {t('nav.language')}
          </button>
          {session && (
            <>
              <Link href="/kata-sandi" class="who">
                {session.user.username} · {t(`role.${session.user.role}`)}
                <span class="visually-hidden"> — {t('password.link')}</span>
              </Link>
              <button type="button" class="secondary" onClick={signOut}>
                {t('nav.signOut')}
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main">
        {session === undefined ? (
          <Loading />
        ) : session === null ? (
          <SignIn
            onSignedIn={(s) => {
              setCsrf(s.csrfToken);
              setSession(s);
              navigate(homeOf(s));
            }}
          />
        ) : (
          <Screen path={path} session={session} menu={menu} />
        )}
      </main>
    </>
  );
}

function Screen({ path, session, menu }: { path: string; session: Session; menu: Screen[] }) {
  const [, first, second] = path.split('/');
  const allowed = (screen: Screen) => menu.includes(screen);
  const own = session.user.regions[0] ?? 'ID';
  switch (`/${first}`) {
    case '/beranda':
      return allowed('home') ? <RegionView key={own} code={own} title={t('home.title')} /> : <Forbidden />;
    case '/wilayah':
      if (!allowed('regions')) return <Forbidden />;
      return <RegionView key={second ?? own} code={second ?? own} title={t('nav.regions')} />;
    case '/iuran': {
      if (!allowed('dues')) return <Forbidden />;
      const third = path.split('/')[3];
      if (second === 'program' && third) return <ProgramDues key={third} id={third} user={session.user} />;
      if (second === 'tagihan' && third)
        return <InvoiceDetail key={third} id={third} user={session.user} csrf={session.csrfToken} />;
      return <DuesSummary user={session.user} />;
    }
    case '/klaim': {
      if (!allowed('claims')) return <Forbidden />;
      const third = path.split('/')[3];
      if (second === 'laporan') return <ClaimsReport user={session.user} />;
      if (second === 'baru' && third)
        return session.user.role === 'program_admin' ? (
          <FileClaim key={third} participantId={third} />
        ) : (
          <Forbidden />
        );
      return second ? (
        <ClaimDetail key={second} id={second} user={session.user} />
      ) : (
        <ClaimList user={session.user} />
      );
    }
    case '/kas': {
      if (!allowed('treasury')) return <Forbidden />;
      const third = path.split('/')[3];
      return second && third ? (
        <ProgramTreasury
          key={`${second} ${third}`}
          programId={second}
          year={third}
          user={session.user}
          csrf={session.csrfToken}
        />
      ) : (
        <TreasuryPrograms />
      );
    }
    case '/audit':
      return allowed('audit') ? <AuditTrail user={session.user} /> : <Forbidden />;
    case '/program':
      if (!allowed('programs')) return <Forbidden />;
      return second ? (
        <ProgramDetail key={second} id={second} user={session.user} />
      ) : (
        <ProgramList user={session.user} />
      );
    case '/unggah':
      return allowed('upload') ? (
        <Upload key={second ?? 'new'} user={session.user} csrf={session.csrfToken} importId={second} />
      ) : (
        <Forbidden />
      );
    case '/peserta': {
      if (!allowed('participants')) return <Forbidden />;
      const third = path.split('/')[3];
      if (second === 'pendaftaran' && third)
        return <EnrollmentParticipant key={third} enrollmentId={third} />;
      return second ? (
        <ParticipantHistory key={second} id={second} user={session.user} />
      ) : (
        <ParticipantSearch />
      );
    }
    case '/operasi':
      return allowed('operations') ? <Operations /> : <Forbidden />;
    case '/akun':
      return allowed('accounts') ? <Accounts /> : <Forbidden />;
    case '/kata-sandi':
      return <ChangePassword />;
    case '/terlarang':
      return <Forbidden />;
    case '/':
    case '/masuk':
      return <Loading />;
    default:
      return <NotFound />;
  }
}
