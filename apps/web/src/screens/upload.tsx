import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type Problem, type User } from '../api';
import { Link, Loading, ProblemBox, Refusal, useGet } from '../components/common';
import { formatNumber, todayWib } from '../format';
import { t } from '../i18n/i18n';
import type { Program } from './programs';

interface Uploaded {
  importId: string;
  total: number;
  accepted: number;
  rejected: number;
  repeated: boolean;
}
interface ReportRow {
  rowNumber: number;
  status: 'accepted' | 'rejected';
  reasons: { field?: string; message: string }[];
  maskedNik?: string;
  enrollmentId?: string;
}

/** The upload itself through XMLHttpRequest: fetch cannot report upload progress. */
function send(
  url: string,
  file: File,
  csrf: string | null,
  onProgress: (percent: number) => void,
): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    if (csrf) request.setRequestHeader('x-csrf-token', csrf);
    request.setRequestHeader('accept', 'application/json');
    request.upload.onprogress = (event) =>
      event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    request.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = {};
      }
      if (request.status >= 200 && request.status < 300) resolve(body as Uploaded);
      else reject(new ApiError({ status: request.status, ...(body as object) }));
    };
    request.onerror = () => reject(new ApiError({ status: 0 }));
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}

/**
 * The upload form, then the row report. `/unggah/<import id>` shows a list already uploaded —
 * the address a village operator passes to the program admin, who approves it there.
 */
export function Upload({ user, csrf, importId }: { user: User; csrf: string | null; importId?: string }) {
  const programs = useGet<{ programs: Program[] }>('/api/programs');
  const [programId, setProgramId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [coverageFrom, setCoverageFrom] = useState(todayWib());
  const [approved, setApproved] = useState<number | null>(null);
  const canApprove = user.role === 'program_admin';
  const canSeePeople = user.role === 'program_admin' || user.role === 'village_operator';

  useEffect(() => {
    if (!importId) return;
    Promise.all([
      api<Uploaded>('GET', `/api/imports/${importId}`),
      api<{ rows: ReportRow[] }>('GET', `/api/imports/${importId}/report?format=json`),
    ]).then(
      ([status, report]) => {
        setUploaded({ ...status, repeated: false });
        setRows(report.rows);
      },
      (error: unknown) => setProblem(error instanceof ApiError ? error.problem : { status: 0 }),
    );
  }, [importId]);

  if (programs.problem) return <Refusal problem={programs.problem} />;
  if (problem?.status === 403) return <Refusal problem={problem} />;
  if (!programs.data) return <Loading />;
  const open = programs.data.programs.filter((p) => p.status === 'open');
  const chosen = programId || open[0]?.id || '';

  async function submit(event: Event) {
    event.preventDefault();
    if (!file || !chosen) return;
    setProblem(null);
    setUploaded(null);
    setRows(null);
    setApproved(null);
    setProgress(0);
    try {
      const result = await send(`/api/programs/${chosen}/enrollments/import`, file, csrf, setProgress);
      setUploaded(result);
      const report = await api<{ rows: ReportRow[] }>(
        'GET',
        `/api/imports/${result.importId}/report?format=json`,
      );
      setRows(report.rows);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
    } finally {
      setProgress(null);
    }
  }

  async function approve() {
    if (!uploaded) return;
    setProblem(null);
    try {
      const result = await api<{ approved: number }>('POST', `/api/imports/${uploaded.importId}/approval`, {
        coverageFrom,
      });
      setApproved(result.approved);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
    }
  }

  return (
    <section aria-labelledby="upload-title">
      <h1 id="upload-title">{t('upload.title')}</h1>
      <p>{t('upload.intro')}</p>
      {open.length === 0 ? (
        <p>{t('upload.noPrograms')}</p>
      ) : (
        <form class="card form" onSubmit={submit}>
          <label>
            {t('upload.program')}
            <select value={chosen} onChange={(e) => setProgramId((e.target as HTMLSelectElement).value)}>
              {open.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('upload.file')}
            <input
              type="file"
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          <button type="submit" disabled={!file || progress !== null}>
            {t('upload.submit')}
          </button>
          {progress !== null && (
            <p aria-live="polite">
              {progress < 100 ? t('upload.progress', { percent: progress }) : t('upload.processing')}
              <progress max={100} value={progress} aria-label={t('upload.progress', { percent: progress })} />
            </p>
          )}
        </form>
      )}
      {problem && <ProblemBox problem={problem} />}
      {uploaded && (
        <section class="card" aria-labelledby="report-title">
          <h2 id="report-title">{t('upload.report')}</h2>
          {uploaded.repeated && <p>{t('upload.repeated')}</p>}
          <p data-testid="report-counts">
            {t('upload.total')}: {formatNumber(uploaded.total)} · {t('upload.accepted')}:{' '}
            {formatNumber(uploaded.accepted)} · {t('upload.rejected')}: {formatNumber(uploaded.rejected)}
          </p>
          <p>
            <a href={`/api/imports/${uploaded.importId}/report?format=csv`} download>
              {t('upload.download')}
            </a>
            {' · '}
            <Link href={`/unggah/${uploaded.importId}`}>{t('upload.link')}</Link>
          </p>
          {canApprove && uploaded.accepted > 0 && approved === null && (
            <div class="form inline-form">
              <label>
                {t('upload.coverageFrom')}
                <input
                  type="date"
                  value={coverageFrom}
                  onChange={(e) => setCoverageFrom((e.target as HTMLInputElement).value)}
                />
              </label>
              <button type="button" onClick={approve}>
                {t('upload.approve')}
              </button>
            </div>
          )}
          {approved !== null && (
            <p class="success" role="status">
              {t('upload.approved', { count: approved })}
            </p>
          )}
          {rows && (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('upload.row')}</th>
                    <th scope="col">{t('upload.nik')}</th>
                    <th scope="col">{t('upload.result')}</th>
                    <th scope="col">{t('upload.reasons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, 200).map((row) => (
                    <tr key={row.rowNumber} class={row.status}>
                      <td>
                        {row.enrollmentId && canSeePeople ? (
                          <Link href={`/peserta/pendaftaran/${row.enrollmentId}`}>
                            {row.rowNumber} <span class="visually-hidden">{t('participant.link')}</span>
                          </Link>
                        ) : (
                          row.rowNumber
                        )}
                      </td>
                      <td>{row.maskedNik ?? '—'}</td>
                      <td>{t(`upload.${row.status}`)}</td>
                      <td>{row.reasons.map((r) => r.message).join('; ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </section>
  );
}
