import { useState } from 'preact/hooks';
import { ApiError, type Problem } from '../../api';
import { Loading, ProblemBox, useGet } from '../../components/common';
import { Field, formErrors, GeneralError, NO_ERRORS, valueOf, type FormErrors } from '../../components/form';
import { formatDate, formatNumber, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { Downloads, TableBox } from './figures';
import { wrote } from './dues';

interface Totals {
  participants: number;
  amount: number;
}
interface BillReport {
  version: number;
  receivedOn: string;
  billed: Totals;
  invoiced: Totals;
  difference: Totals;
  differences: { code: string; label: string; lines: number }[];
  lineCount: number;
  matchedRows: number;
}

/** The bill's file as multipart form data (fields before the file, as the API reads them). */
async function upload(invoiceId: string, file: File, receivedOn: string, csrf: string | null) {
  const form = new FormData();
  form.append('receivedOn', receivedOn);
  form.append('file', file);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(`/api/invoices/${invoiceId}/bpjs-bill`, {
      method: 'POST',
      headers,
      body: form,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, type: 'network' });
  }
  const body = (await response.json().catch(() => ({}))) as { consistencyToken?: number } & Partial<Problem>;
  if (!response.ok) throw new ApiError({ ...body, status: response.status });
  wrote(body.consistencyToken);
}

const signed = (n: number, text: string) => (n > 0 ? `+${text}` : text);

/**
 * The bill BPJS sent for the month, compared with the frozen roster: its totals against the
 * invoice's, how many lines differ and how, and the line report (CSV/XLSX). Finance and program
 * admins upload it (again: the next version).
 */
export function BpjsBill({
  invoiceId,
  hasBill,
  canUpload,
  csrf,
  version,
  onRecorded,
}: {
  invoiceId: string;
  hasBill: boolean;
  canUpload: boolean;
  csrf: string | null;
  version: number;
  onRecorded: () => void;
}) {
  const [uploaded, setUploaded] = useState(false);
  const bill = useGet<BillReport>(
    hasBill || uploaded ? `/api/invoices/${invoiceId}/bpjs-bill?limit=1` : null,
    version,
  );
  const [file, setFile] = useState<File | null>(null);
  const [receivedOn, setReceivedOn] = useState(todayWib());
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const report = `/api/invoices/${invoiceId}/bpjs-bill`;

  async function send(event: Event) {
    event.preventDefault();
    if (!file) return;
    setErrors(NO_ERRORS);
    setBusy(true);
    try {
      await upload(invoiceId, file, receivedOn, csrf);
      setUploaded(true);
      onRecorded();
    } catch (error) {
      setErrors(formErrors(error instanceof ApiError ? error.problem : { status: 0 }, ['receivedOn']));
    } finally {
      setBusy(false);
    }
  }

  const b = bill.data;
  return (
    <section aria-labelledby="bill-title">
      <h2 id="bill-title">{t('dues.bill.title')}</h2>
      {bill.problem ? (
        <ProblemBox problem={bill.problem} />
      ) : !hasBill && !uploaded ? (
        <p>{t('dues.bill.none')}</p>
      ) : !b ? (
        <Loading />
      ) : (
        <>
          <p class="muted">
            {t('dues.bill.version', { version: b.version, date: formatDate(b.receivedOn) })}
          </p>
          <TableBox label={t('dues.bill.title')}>
            <table>
              <thead>
                <tr>
                  <td />
                  <th scope="col" class="num">
                    {t('dues.lines')}
                  </th>
                  <th scope="col" class="num">
                    {t('dues.refund.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t('dues.bill.billedTotals')}</th>
                  <td class="num">{formatNumber(b.billed.participants)}</td>
                  <td class="num">{formatRupiah(b.billed.amount)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('dues.bill.invoicedTotals')}</th>
                  <td class="num">{formatNumber(b.invoiced.participants)}</td>
                  <td class="num">{formatRupiah(b.invoiced.amount)}</td>
                </tr>
                <tr>
                  <th scope="row">{t('dues.bill.difference')}</th>
                  <td class="num" data-testid="bill-difference-participants">
                    {signed(b.difference.participants, formatNumber(b.difference.participants))}
                  </td>
                  <td class="num">{signed(b.difference.amount, formatRupiah(b.difference.amount))}</td>
                </tr>
              </tbody>
            </table>
          </TableBox>
          <h3>{t('dues.bill.differences')}</h3>
          {b.differences.every((d) => d.lines === 0) ? (
            <p>{t('dues.bill.noDifferences')}</p>
          ) : (
            <table>
              <tbody>
                {b.differences
                  .filter((d) => d.lines > 0)
                  .map((d) => (
                    <tr key={d.code} data-difference={d.code}>
                      <th scope="row">{t(`dues.bill.codes.${d.code}`, { defaultValue: d.label })}</th>
                      <td class="num">{formatNumber(d.lines)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          <p>
            {t('dues.bill.matched')}: {formatNumber(b.matchedRows)}
          </p>
          <Downloads url={report} name={t('dues.bill.report')} />
        </>
      )}
      {canUpload && (
        <form class="card form" onSubmit={send} aria-labelledby="bill-upload-title" noValidate>
          <h3 id="bill-upload-title">{t('dues.bill.upload')}</h3>
          <GeneralError errors={errors} />
          <Field name="file" id="bill-file" label={t('dues.bill.file')} errors={errors}>
            {(props) => (
              <input
                {...props}
                type="file"
                accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
              />
            )}
          </Field>
          <Field name="receivedOn" id="bill-receivedOn" label={t('dues.bill.receivedOn')} errors={errors}>
            {(props) => (
              <input
                {...props}
                type="date"
                value={receivedOn}
                max={todayWib()}
                onInput={(e) => setReceivedOn(valueOf(e))}
              />
            )}
          </Field>
          <div class="actions">
            <button type="submit" disabled={!file || busy}>
              {t('dues.bill.submit')}
            </button>
          </div>
          {uploaded && !busy && (
            <p class="success" role="status">
              {t('dues.bill.recorded')}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
