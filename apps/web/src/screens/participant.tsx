import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Problem } from '../api';
import { Loading, Refusal, useGet } from '../components/common';
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

/** Find a person by their participant id; their timeline as the history endpoint gives it. */
export function ParticipantSearch() {
  const [id, setId] = useState('');
  return (
    <section aria-labelledby="participant-title">
      <h1 id="participant-title">{t('participant.title')}</h1>
      <p>{t('participant.intro')}</p>
      <form
        class="card form"
        onSubmit={(e) => {
          e.preventDefault();
          if (UUID.test(id.trim())) navigate(`/peserta/${id.trim().toLowerCase()}`);
        }}
      >
        <label>
          {t('participant.id')}
          <input value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('participant.find')}</button>
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

export function ParticipantHistory({ id }: { id: string }) {
  const history = useGet<History>(`/api/participants/${id}/history`);
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
