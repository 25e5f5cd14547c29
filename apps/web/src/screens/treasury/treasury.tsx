import { useState } from 'preact/hooks';
import type { User } from '../../api';
import { Link, Loading, Refusal, useGet } from '../../components/common';
import { formatDate, formatRupiah, todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { navigate } from '../../router';
import type { Program } from '../programs';
import { TreasuryForm } from './forms';
import { Sp2dImport } from './import';

interface Doc {
  number: string;
  date: string;
  amount: number;
  accountCode: string;
  cancelled: { reason: string; cancelledOn: string } | null;
  sppNumber?: string;
  spmNumber?: string;
  recipient?: string;
}

interface Treasury {
  budgetCeiling: number;
  disbursed: number;
  remaining: number;
  budgetLines: { accountCode: string; document: string; fundingSource: string; amount: number }[];
  spp: Doc[];
  spm: Doc[];
  sp2d: Doc[];
}

const BUDGET_DOCUMENTS = ['DPA', 'APBD', 'APBD-P'];
const SP2D_TYPES = ['LS', 'UP', 'GU', 'TU'];
const KINDS = ['spp', 'spm', 'sp2d'] as const;

/** Finance writes the treasury; auditors read it (the API refuses anyone else). */
const writesTreasury = (user: User) => user.role === 'finance';

/** The programs the user reaches, each opening its treasury of this year. */
export function TreasuryPrograms() {
  const programs = useGet<{ programs: Program[] }>('/api/programs');
  if (programs.problem) return <Refusal problem={programs.problem} />;
  const year = todayWib().slice(0, 4);
  return (
    <section aria-labelledby="treasury-title">
      <h1 id="treasury-title">{t('treasury.title')}</h1>
      <p>{t('treasury.intro')}</p>
      <h2>{t('treasury.pickProgram')}</h2>
      {!programs.data ? (
        <Loading />
      ) : (
        <ul>
          {programs.data.programs.map((p) => (
            <li key={p.id}>
              <Link href={`/kas/${p.id}/${year}`}>{p.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A program's treasury of a fiscal year, its forms for finance, and the year's reconciliation. */
export function ProgramTreasury({
  programId,
  year,
  user,
  csrf,
}: {
  programId: string;
  year: string;
  user: User;
  csrf: string | null;
}) {
  const [version, setVersion] = useState(0);
  const [yearInput, setYearInput] = useState(year);
  const treasury = useGet<Treasury>(`/api/programs/${programId}/treasury/${year}`, version);
  const program = useGet<Program>(`/api/programs/${programId}`);
  if (treasury.problem) return <Refusal problem={treasury.problem} />;
  const data = treasury.data;
  if (!data || !program.data) return <Loading />;
  const written = () => setVersion((v) => v + 1);
  const url = (path: string) => `/api/programs/${programId}/${path}`;
  const fiscalYear = Number(year);
  const codes = data.budgetLines.map((l) => ({ value: l.accountCode, label: l.accountCode }));
  const docSpecs = [
    { name: 'number', label: 'treasury.number' },
    { name: 'date', label: 'treasury.date', kind: 'date' as const },
    { name: 'amount', label: 'treasury.amount', kind: 'amount' as const },
    codes.length > 0
      ? { name: 'accountCode', label: 'treasury.accountCode', options: codes }
      : { name: 'accountCode', label: 'treasury.accountCode' },
  ];
  return (
    <section aria-labelledby="program-treasury-title">
      <Link href="/kas">← {t('treasury.back')}</Link>
      <h1 id="program-treasury-title">
        {t('treasury.title')} · {program.data.name}
      </h1>
      <form
        class="card form inline-form"
        role="search"
        aria-label={t('treasury.year')}
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d{4}$/.test(yearInput)) navigate(`/kas/${programId}/${yearInput}`);
        }}
      >
        <div class="field">
          <label for="treasury-year">{t('treasury.year')}</label>
          <input
            id="treasury-year"
            inputMode="numeric"
            value={yearInput}
            onInput={(e) => setYearInput((e.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{t('treasury.show')}</button>
      </form>
      <div class="tiles">
        {(
          [
            ['ceiling', data.budgetCeiling],
            ['disbursed', data.disbursed],
            ['remaining', data.remaining],
          ] as const
        ).map(([key, value]) => (
          <div class="tile" key={key}>
            <h2>{t(`treasury.${key}`)}</h2>
            <p class="figure" data-testid={`treasury-${key}`}>
              {formatRupiah(value)}
            </p>
          </div>
        ))}
      </div>
      <h2>{t('treasury.budgetLines')}</h2>
      {data.budgetLines.length === 0 ? (
        <p>{t('treasury.noLines')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="budget-lines">
            <thead>
              <tr>
                <th scope="col">{t('treasury.accountCode')}</th>
                <th scope="col">{t('treasury.document')}</th>
                <th scope="col">{t('treasury.fundingSource')}</th>
                <th scope="col" class="num">
                  {t('treasury.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.budgetLines.map((l) => (
                <tr key={l.accountCode}>
                  <td>{l.accountCode}</td>
                  <td>{l.document}</td>
                  <td>{l.fundingSource}</td>
                  <td class="num">{formatRupiah(l.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {KINDS.map((kind) => (
        <div key={kind}>
          <h2>{t(`treasury.kinds.${kind}`)}</h2>
          {data[kind].length === 0 ? (
            <p>{t('treasury.noDocuments')}</p>
          ) : (
            <div class="table-wrap">
              <table data-testid={`treasury-${kind}`}>
                <thead>
                  <tr>
                    <th scope="col">{t('treasury.number')}</th>
                    <th scope="col">{t('treasury.date')}</th>
                    <th scope="col">{t('treasury.accountCode')}</th>
                    <th scope="col" class="num">
                      {t('treasury.amount')}
                    </th>
                    <th scope="col">{t('treasury.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data[kind].map((d) => (
                    <tr key={d.number} data-number={d.number}>
                      <td>{d.number}</td>
                      <td>{formatDate(d.date)}</td>
                      <td>{d.accountCode}</td>
                      <td class="num">{formatRupiah(d.amount)}</td>
                      <td>
                        {d.cancelled
                          ? t('treasury.cancelledOn', { date: formatDate(d.cancelled.cancelledOn) })
                          : t('treasury.live')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
      {writesTreasury(user) && (
        <div class="filters">
          <TreasuryForm
            id="budget-line"
            title={t('treasury.form.budgetLine')}
            url={url('budget-lines')}
            extra={{ fiscalYear }}
            specs={[
              { name: 'accountCode', label: 'treasury.accountCode' },
              {
                name: 'document',
                label: 'treasury.document',
                options: BUDGET_DOCUMENTS.map((d) => ({ value: d, label: d })),
              },
              { name: 'fundingSource', label: 'treasury.fundingSource' },
              { name: 'amount', label: 'treasury.amount', kind: 'amount' },
            ]}
            submitLabel={t('treasury.form.submit')}
            onWritten={written}
          />
          <TreasuryForm
            id="spp"
            title={t('treasury.form.spp')}
            url={url('spp')}
            specs={docSpecs}
            submitLabel={t('treasury.form.submit')}
            onWritten={written}
          />
          <TreasuryForm
            id="spm"
            title={t('treasury.form.spm')}
            url={url('spm')}
            specs={[{ name: 'sppNumber', label: 'treasury.sppNumber' }, ...docSpecs]}
            submitLabel={t('treasury.form.submit')}
            onWritten={written}
          />
          <TreasuryForm
            id="sp2d"
            title={t('treasury.form.sp2d')}
            url={url('sp2d')}
            specs={[
              { name: 'spmNumber', label: 'treasury.spmNumber' },
              ...docSpecs,
              {
                name: 'sp2dType',
                label: 'treasury.sp2dType',
                options: SP2D_TYPES.map((d) => ({ value: d, label: d })),
              },
              { name: 'recipient', label: 'treasury.recipient' },
              { name: 'bank', label: 'treasury.bank' },
            ]}
            submitLabel={t('treasury.form.submit')}
            onWritten={written}
          />
          <TreasuryForm
            id="cancel"
            title={t('treasury.form.cancel')}
            url={url('treasury-cancellations')}
            extra={{ fiscalYear }}
            specs={[
              {
                name: 'kind',
                label: 'treasury.form.kind',
                options: KINDS.map((k) => ({ value: k, label: t(`treasury.kinds.${k}`) })),
              },
              { name: 'number', label: 'treasury.number' },
              { name: 'reason', label: 'treasury.reason' },
            ]}
            submitLabel={t('treasury.form.cancelSubmit')}
            onWritten={written}
          />
          <Sp2dImport programId={programId} year={year} csrf={csrf} onImported={written} />
        </div>
      )}
      <Reconciliation programId={programId} year={year} />
    </section>
  );
}

interface Reconciled {
  roster: number;
  billed: number;
  disbursed: number;
  months: { month: string; roster: number; billed: number; disbursed: number }[];
  lines: { code: string; month: string; invoiceId: string | null; sp2dNumbers: string[]; amount: number }[];
}

/** The year's reconciliation: the three amounts per month and each coded difference explained. */
function Reconciliation({ programId, year }: { programId: string; year: string }) {
  const query = `program=${programId}&year=${year}`;
  const found = useGet<Reconciled>(`/api/reconciliation?${query}`);
  return (
    <section aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">{t('treasury.reconciliation')}</h2>
      <p>
        <a href={`/api/reconciliation?${query}&format=csv`}>{t('treasury.downloadCsv')}</a> ·{' '}
        <a href={`/api/reconciliation?${query}&format=xlsx`}>{t('treasury.downloadXlsx')}</a>
      </p>
      {found.problem ? (
        <Refusal problem={found.problem} />
      ) : !found.data ? (
        <Loading />
      ) : (
        <>
          <div class="table-wrap">
            <table data-testid="reconciliation-months">
              <thead>
                <tr>
                  <th scope="col">{t('treasury.month')}</th>
                  <th scope="col" class="num">
                    {t('treasury.rosterAmount')}
                  </th>
                  <th scope="col" class="num">
                    {t('treasury.billedAmount')}
                  </th>
                  <th scope="col" class="num">
                    {t('treasury.disbursedAmount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {found.data.months.map((m) => (
                  <tr key={m.month} data-month={m.month}>
                    <td>{m.month}</td>
                    <td class="num">{formatRupiah(m.roster)}</td>
                    <td class="num">{formatRupiah(m.billed)}</td>
                    <td class="num">{formatRupiah(m.disbursed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('treasury.differences')}</h3>
          {found.data.lines.length === 0 ? (
            <p>{t('treasury.noDifferences')}</p>
          ) : (
            <div class="table-wrap">
              <table data-testid="reconciliation-lines">
                <thead>
                  <tr>
                    <th scope="col">{t('treasury.month')}</th>
                    <th scope="col">{t('treasury.meaning')}</th>
                    <th scope="col">{t('treasury.code')}</th>
                    <th scope="col" class="num">
                      {t('treasury.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {found.data.lines.map((l, i) => (
                    <tr key={i} data-code={l.code}>
                      <td>{l.month}</td>
                      <td>{t(`treasury.codes.${l.code}`, { defaultValue: l.code })}</td>
                      <td>{l.code}</td>
                      <td class="num">{formatRupiah(l.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
