import { useState } from 'preact/hooks';
import { api } from '../api';
import { Link, Loading, ProblemBox, useGet } from '../components/common';
import { Pager } from '../components/pager';
import { Field, GeneralError, useSubmit, valueOf } from '../components/form';
import { formatDate } from '../format';
import { t } from '../i18n/i18n';

interface Roster {
  participants: {
    enrollmentId: string;
    participantId: string;
    maskedNik: string | null;
    villageCode: string;
    status: string;
    coverage: { from: string; to: string } | null;
  }[];
  page: { offset: number; limit: number; total: number };
}

const PAGE = 25;

/** The roles that read a program's roster (the API refuses the others). */
export const readsRoster = (role: string) => ['program_admin', 'village_operator', 'auditor'].includes(role);

/**
 * A program's roster, a page at a time, narrowed to a region or to one person found by NIK.
 * The NIK is looked up with a POST (in the body, never in an address); the roster is then
 * asked for that participant's id.
 */
export function ProgramRoster({ programId }: { programId: string }) {
  const [offset, setOffset] = useState(0);
  const [region, setRegion] = useState('');
  const [appliedRegion, setAppliedRegion] = useState('');
  const [nik, setNik] = useState('');
  const [participant, setParticipant] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const lookup = useSubmit(['nik']);

  const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
  if (appliedRegion) query.set('region', appliedRegion);
  if (participant) query.set('participant', participant);
  const roster = useGet<Roster>(notFound ? null : `/api/programs/${programId}/roster?${query}`);

  const byNik = async (e: Event) => {
    e.preventDefault();
    const found = await lookup.submit(() =>
      api<{ participants: { id: string }[] }>('POST', '/api/participants/lookup', { nik }),
    );
    if (!found) return;
    setOffset(0);
    setNotFound(found.participants.length === 0);
    setParticipant(found.participants[0]?.id ?? null);
  };
  const byRegion = (e: Event) => {
    e.preventDefault();
    setOffset(0);
    setAppliedRegion(region.trim());
  };
  const clear = () => {
    setNik('');
    setRegion('');
    setAppliedRegion('');
    setParticipant(null);
    setNotFound(false);
    setOffset(0);
  };

  const data = roster.data;
  return (
    <section aria-labelledby="roster-title">
      <h2 id="roster-title">{t('roster.title')}</h2>
      <p>{t('roster.intro')}</p>
      <div class="filters">
        <form class="card form" role="search" onSubmit={byNik} noValidate aria-label={t('roster.byNik')}>
          <GeneralError errors={lookup.errors} />
          <Field
            name="nik"
            id="roster-nik"
            label={t('roster.nikLabel')}
            hint={t('roster.nikHint')}
            errors={lookup.errors}
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
          <button type="submit" disabled={lookup.busy}>
            {t('participant.find')}
          </button>
        </form>
        <form class="card form" role="search" onSubmit={byRegion} noValidate aria-label={t('roster.filters')}>
          <Field
            name="region"
            id="roster-region"
            label={t('roster.byVillage')}
            hint={t('roster.villageHint')}
            errors={{ fields: {}, general: null }}
          >
            {(props) => (
              <input {...props} value={region} onInput={(e) => setRegion(valueOf(e))} inputMode="numeric" />
            )}
          </Field>
          <button type="submit">{t('roster.apply')}</button>
        </form>
      </div>
      {(participant || appliedRegion || notFound) && (
        <p>
          {participant && <span>{t('roster.filteredNik')} </span>}
          <button type="button" class="secondary" onClick={clear}>
            {t('roster.clear')}
          </button>
        </p>
      )}
      {notFound ? (
        <p role="status">{t('roster.notFound')}</p>
      ) : roster.problem ? (
        <ProblemBox problem={roster.problem} />
      ) : !data || roster.loading ? (
        <Loading />
      ) : data.participants.length === 0 ? (
        <p role="status">{t('roster.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="roster">
              <thead>
                <tr>
                  <th scope="col">{t('roster.nik')}</th>
                  <th scope="col">{t('roster.village')}</th>
                  <th scope="col">{t('roster.status')}</th>
                  <th scope="col">{t('roster.coverage')}</th>
                </tr>
              </thead>
              <tbody>
                {data.participants.map((p) => (
                  <tr key={p.enrollmentId} data-participant={p.participantId}>
                    <td>
                      <Link href={`/peserta/${p.participantId}`}>{p.maskedNik ?? t('roster.erased')}</Link>
                    </td>
                    <td>{p.villageCode}</td>
                    <td>{t(`roster.statuses.${p.status}`, { defaultValue: p.status })}</td>
                    <td>
                      {p.coverage
                        ? `${formatDate(p.coverage.from)} – ${formatDate(p.coverage.to)}`
                        : t('roster.noCoverage')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            messages="roster"
            offset={data.page.offset}
            shown={data.participants.length}
            total={data.page.total}
            pageSize={PAGE}
            onOffset={setOffset}
          />
        </>
      )}
    </section>
  );
}
