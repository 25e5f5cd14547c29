import { useState } from 'preact/hooks';
import { ApiError, type Problem } from '../../api';
import { ProblemBox } from '../../components/common';
import { formatNumber } from '../../format';
import { t } from '../../i18n/i18n';

interface Imported {
  rows: number;
  recorded: number;
  alreadyRecorded: number;
  refused: number;
  report: {
    row: number;
    number: string | null;
    status: string;
    rule: string | null;
    message: string | null;
  }[];
}

/** The export as multipart form data (the fiscal year before the file, as the API reads them). */
async function upload(
  programId: string,
  fiscalYear: string,
  file: File,
  csrf: string | null,
): Promise<Imported> {
  const form = new FormData();
  form.append('fiscalYear', fiscalYear);
  form.append('file', file);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'idempotency-key': crypto.randomUUID(),
  };
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/programs/${programId}/sp2d-imports`, {
      method: 'POST',
      headers,
      body: form,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, type: 'network' });
  }
  const body = (await response.json().catch(() => ({}))) as Imported & Partial<Problem>;
  if (!response.ok) throw new ApiError({ ...body, status: response.status });
  return body;
}

/**
 * The SP2D export of the treasury system (CSV or XLSX), imported row by row: the row report
 * says which were recorded, which were already there and which were refused, and why.
 */
export function Sp2dImport({
  programId,
  year,
  csrf,
  onImported,
}: {
  programId: string;
  year: string;
  csrf: string | null;
  onImported: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [result, setResult] = useState<Imported | null>(null);
  const send = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await upload(programId, year, file, csrf));
      onImported();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { status: 0 });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card form" onSubmit={send} aria-labelledby="sp2d-import-title" noValidate>
      <h3 id="sp2d-import-title">{t('treasury.import.title')}</h3>
      {problem && <ProblemBox problem={problem} />}
      <div class="field">
        <label for="sp2d-import-file">{t('treasury.import.file')}</label>
        <input
          id="sp2d-import-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
        />
      </div>
      <div class="actions">
        <button type="submit" disabled={busy || !file}>
          {t('treasury.import.submit')}
        </button>
      </div>
      {result && (
        <>
          <p role="status" data-testid="sp2d-import-totals">
            {t('treasury.import.totals', {
              rows: formatNumber(result.rows),
              recorded: formatNumber(result.recorded),
              already: formatNumber(result.alreadyRecorded),
              refused: formatNumber(result.refused),
            })}
          </p>
          <div class="table-wrap">
            <table data-testid="sp2d-import-report">
              <thead>
                <tr>
                  <th scope="col">{t('treasury.import.row')}</th>
                  <th scope="col">{t('treasury.number')}</th>
                  <th scope="col">{t('treasury.status')}</th>
                  <th scope="col">{t('treasury.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {result.report.map((r) => (
                  <tr key={r.row} data-row={r.row} data-status={r.status}>
                    <td>{r.row}</td>
                    <td>{r.number ?? '—'}</td>
                    <td>{t(`treasury.import.statuses.${r.status}`, { defaultValue: r.status })}</td>
                    <td>{r.message ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </form>
  );
}
