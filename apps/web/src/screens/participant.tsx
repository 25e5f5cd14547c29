import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Problem, type User } from '../api';
import { Link, Loading, Refusal, useGet } from '../components/common';
import { Field, GeneralError, useSubmit, valueOf } from '../components/form';
import { formatDate } from '../format';
import { t } from '../i18n/i18n';
import { navigate } from '../router';

interface History {
  participant: {
    id: string;
    status: string;
    personal: Record<string, string | null> | 'erased';
    sex: string;
    birthYear: number;
    villageCode: string;
  };
  events: {
    position: number;
    occurredAt: string;
    type: string;
    actor: { id: string | null; role: string | null };
    programId: string | null;
  }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The day an event happened, in WIB. */
const dayOf = (instant: string) => new Date(Date.parse(instant) + 7 * 3_600_000).toISOString().slice(0, 10);

interface Found {
  participants: {
    id: string;
    status: string;
    villageCode: string;
    personal: History['participant']['personal'];
  }[];
}

/**
 * Find a person by NIK (exact: the API looks its HMAC up), or by participant id. The NIK goes
 * in the body of a POST, never in the address or the browser's history; the history screen
 * that opens is addressed by the participant id.
 */
export function ParticipantSearch() {
  const [nik, setNik] = useState('');
  const [id, setId] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const { errors, busy, submit } = useSubmit(['nik']);
  const byNik = async (e: Event) => {
    e.preventDefault();
    setFound(null);
    const answer = await submit(() => api<Found>('POST', '/api/participants/lookup', { nik }));
    if (!answer) return;
    if (answer.participants.length === 1) navigate(`/peserta/${answer.participants[0].id}`);
    else setFound(answer);
  };
  return (
    <section aria-labelledby="participant-title">
      <h1 id="participant-title">{t('participant.title')}</h1>
      <p>{t('participant.intro')}</p>
      <form class="card form" aria-labelledby="nik-search-title" onSubmit={byNik} noValidate>
        <h2 id="nik-search-title">{t('participant.byNik')}</h2>
        <GeneralError errors={errors} />
        <Field
          name="nik"
          id="lookup-nik"
          label={t('participant.nik')}
          hint={t('participant.nikHint')}
          errors={errors}
        >
          {(props) => (
            <input
              {...props}
              value={nik}
              onInput={(e) => setNik(valueOf(e))}
              inputMode="numeric"
              autoComplete="off"
              spellcheck={false}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          {t('participant.find')}
        </button>
        {found && found.participants.length === 0 && (
          <p role="status" data-testid="lookup-none">
            {t('participant.notFound')}
          </p>
        )}
        {found && found.participants.length > 1 && (
          <ul>
            {found.participants.map((p) => (
              <li key={p.id}>
                <Link href={`/peserta/${p.id}`}>{p.id}</Link>
              </li>
            ))}
          </ul>
        )}
      </form>
      <form
        class="card form"
        aria-labelledby="id-search-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (UUID.test(id.trim())) navigate(`/peserta/${id.trim().toLowerCase()}`);
        }}
      >
        <h2 id="id-search-title">{t('participant.byId')}</h2>
        <label>
          {t('participant.id')}
          <input value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="secondary">
          {t('participant.find')}
        </button>
      </form>
    </section>
  );
}

/** `/peserta/pendaftaran/<enrollment id>`: the person of an enrollment (a row of an import report). */
export function EnrollmentParticipant({ enrollmentId }: { enrollmentId: string }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    api<{ participantId: string }>('GET', `/api/enrollments/${enrollmentId}`).then(
      (found) => navigate(`/peserta/${found.participantId}`),
      (error: unknown) => setProblem(error instanceof ApiError ? error.problem : { status: 0 }),
    );
  }, [enrollmentId]);
  return problem ? <Refusal problem={problem} /> : <Loading />;
}

export function ParticipantHistory({ id, user }: { id: string; user: User }) {
  const [erasedAt, setErasedAt] = useState<number | null>(null);
  const history = useGet<History>(
    `/api/participants/${id}/history${erasedAt === null ? '' : `?consistentWith=${erasedAt}`}`,
  );
  if (history.problem) return <Refusal problem={history.problem} />;
  if (!history.data) return <Loading />;
  const { participant, events } = history.data;
  const personal = participant.personal === 'erased' ? [] : Object.entries(participant.personal);
  return (
    <section aria-labelledby="participant-title">
      <h1 id="participant-title">{t('participant.history')}</h1>
      <dl class="facts">
        <dt>{t('participant.status')}</dt>
        <dd>{t(`participant.statuses.${participant.status}`, { defaultValue: participant.status })}</dd>
        {participant.personal === 'erased' && (
          <>
            <dt>{t('participant.personal')}</dt>
            <dd>{t('participant.erased')}</dd>
          </>
        )}
        {personal.map(([key, value]) => (
          <Fragment key={key}>
            <dt>{t(`participant.fields.${key}`, { defaultValue: key })}</dt>
            <dd>{value === null ? '—' : /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value}</dd>
          </Fragment>
        ))}
        <dt>{t('participant.birthYear')}</dt>
        <dd>{participant.birthYear}</dd>
        <dt>{t('participant.village')}</dt>
        <dd>{participant.villageCode}</dd>
      </dl>
      {erasedAt !== null && participant.status === 'erased' && (
        <p class="success" role="status">
          {t('participant.erase.done')}
        </p>
      )}
      {user.role === 'program_admin' && participant.status !== 'erased' && (
        <p>
          <Link href={`/klaim/baru/${participant.id}`}>{t('claims.file.open')}</Link>
        </p>
      )}
      {user.role === 'program_admin' && participant.status !== 'erased' && (
        <Erase participantId={participant.id} onErased={setErasedAt} />
      )}
      <h2>{t('participant.timeline')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('participant.date')}</th>
              <th scope="col">{t('participant.event')}</th>
              <th scope="col">{t('participant.actor')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.position}>
                <td>{formatDate(dayOf(event.occurredAt))}</td>
                <td>{t(`participant.events.${event.type}`, { defaultValue: event.type })}</td>
                <td>
                  {event.actor.id ?? '—'}
                  {event.actor.role
                    ? ` (${t(`role.${event.actor.role}`, { defaultValue: event.actor.role })})`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * Erasure (crypto-shredding) of the person's personal data, for the roles the API lets erase:
 * a first press shows what it does and asks for the legal reason, a second one erases.
 */
function Erase({ participantId, onErased }: { participantId: string; onErased: (token: number) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState(t('participant.erase.defaultReason'));
  const { errors, busy, submit } = useSubmit(['reason']);
  const erase = async (e: Event) => {
    e.preventDefault();
    const written = await submit(() =>
      api<{ consistencyToken: number }>('POST', `/api/participants/${participantId}/erasure`, {
        reason: reason.trim() || undefined,
      }),
    );
    if (written) onErased(written.consistencyToken);
  };
  if (!confirming) {
    return (
      <p>
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          {t('participant.erase.open')}
        </button>
      </p>
    );
  }
  return (
    <form class="card form confirm" aria-labelledby="erase-title" onSubmit={erase} noValidate>
      <h2 id="erase-title">{t('participant.erase.title')}</h2>
      <GeneralError errors={errors} />
      <ul data-testid="erase-consequences">
        <li>{t('participant.erase.personal')}</li>
        <li>{t('participant.erase.permanent')}</li>
        <li>{t('participant.erase.kept')}</li>
        <li>{t('participant.erase.lookup')}</li>
      </ul>
      <Field name="reason" id="erase-reason" label={t('participant.erase.reason')} errors={errors}>
        {(props) => <input {...props} value={reason} onInput={(e) => setReason(valueOf(e))} />}
      </Field>
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>
          {t('participant.erase.confirm')}
        </button>
        <button type="button" class="secondary" onClick={() => setConfirming(false)}>
          {t('participant.erase.cancel')}
        </button>
      </div>
    </form>
  );
}
