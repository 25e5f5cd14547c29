import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, GeneralError, useSubmit, valueOf } from '../../components/form';
import { todayWib } from '../../format';
import { t } from '../../i18n/i18n';
import { REJECTION_CODES, type Claim, type StepWritten } from './claims';

type Done = (written: StepWritten) => void;

/** The amount as typed: digits make a number; anything else goes as typed for the API to refuse. */
const amountOf = (text: string): number | string | undefined =>
  text.trim() === '' ? undefined : /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;

const post = (claimId: string, step: string, body: unknown) =>
  api<StepWritten>('POST', `/api/claims/${claimId}/${step}`, body);

/** The checklist of the claim's kind: a number and a date for each document seen. */
export function DocumentsForm({ claim, onDone }: { claim: Claim; onDone: Done }) {
  const fields = claim.requiredDocuments.flatMap((_, i) => [
    `documents.${i}.number`,
    `documents.${i}.issuedOn`,
  ]);
  const { errors, busy, submit } = useSubmit([...fields, 'documents', 'on']);
  const [numbers, setNumbers] = useState<Record<string, string>>({});
  const [dates, setDates] = useState<Record<string, string>>({});
  const send = async (e: Event) => {
    e.preventDefault();
    const documents = claim.requiredDocuments.map((type) => ({
      type,
      number: numbers[type] ?? '',
      issuedOn: dates[type] ?? '',
    }));
    const written = await submit(() => post(claim.claimId, 'documents', { documents }));
    if (written) onDone(written);
  };
  return (
    <form class="card form" onSubmit={send} aria-labelledby="claim-documents-title" noValidate>
      <h2 id="claim-documents-title">{t('claims.form.documentsTitle')}</h2>
      <GeneralError errors={errors} />
      {claim.requiredDocuments.map((type, i) => {
        const document = t(`claims.documents.${type}`);
        return (
          <div class="inline" key={type}>
            <Field
              name={`documents.${i}.number`}
              id={`doc-${type}-number`}
              label={t('claims.form.documentNumber', { document })}
              errors={errors}
            >
              {(props) => (
                <input
                  {...props}
                  value={numbers[type] ?? ''}
                  onInput={(e) => setNumbers({ ...numbers, [type]: valueOf(e) })}
                />
              )}
            </Field>
            <Field
              name={`documents.${i}.issuedOn`}
              id={`doc-${type}-date`}
              label={t('claims.form.documentDate', { document })}
              errors={errors}
            >
              {(props) => (
                <input
                  {...props}
                  type="date"
                  max={todayWib()}
                  value={dates[type] ?? ''}
                  onInput={(e) => setDates({ ...dates, [type]: valueOf(e) })}
                />
              )}
            </Field>
          </div>
        );
      })}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('claims.form.documentsSubmit')}
        </button>
      </div>
    </form>
  );
}

/** Submission to BPJS: the day only. */
export function SubmitForm({ claim, onDone }: { claim: Claim; onDone: Done }) {
  const { errors, busy, submit } = useSubmit(['on']);
  const [on, setOn] = useState(todayWib());
  const send = async (e: Event) => {
    e.preventDefault();
    const written = await submit(() => post(claim.claimId, 'submission', { on }));
    if (written) onDone(written);
  };
  return (
    <form class="card form" onSubmit={send} aria-labelledby="claim-submit-title" noValidate>
      <h2 id="claim-submit-title">{t('claims.form.submitTitle')}</h2>
      <GeneralError errors={errors} />
      <Field name="on" id="claim-submit-on" label={t('claims.form.on')} errors={errors}>
        {(props) => <input {...props} type="date" value={on} onInput={(e) => setOn(valueOf(e))} />}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('claims.form.submitSubmit')}
        </button>
      </div>
    </form>
  );
}

/** BPJS's decision: approval (with an amount for JKK) or rejection with a code. */
export function DecisionForms({ claim, onDone }: { claim: Claim; onDone: Done }) {
  const approval = useSubmit(['on', 'approvedAmount']);
  const rejection = useSubmit(['on', 'code', 'note']);
  const [amount, setAmount] = useState('');
  const [approvedOn, setApprovedOn] = useState(todayWib());
  const [code, setCode] = useState<string>(REJECTION_CODES[0]);
  const [note, setNote] = useState('');
  const approve = async (e: Event) => {
    e.preventDefault();
    const written = await approval.submit(() =>
      post(claim.claimId, 'approval', { on: approvedOn, approvedAmount: amountOf(amount) }),
    );
    if (written) onDone(written);
  };
  const reject = async (e: Event) => {
    e.preventDefault();
    const written = await rejection.submit(() =>
      post(claim.claimId, 'rejection', { code, ...(note.trim() ? { note: note.trim() } : {}) }),
    );
    if (written) onDone(written);
  };
  return (
    <>
      <form class="card form" onSubmit={approve} aria-labelledby="claim-approve-title" noValidate>
        <h2 id="claim-approve-title">{t('claims.form.approveTitle')}</h2>
        <GeneralError errors={approval.errors} />
        <Field name="on" id="claim-approve-on" label={t('claims.form.on')} errors={approval.errors}>
          {(props) => (
            <input {...props} type="date" value={approvedOn} onInput={(e) => setApprovedOn(valueOf(e))} />
          )}
        </Field>
        <Field
          name="approvedAmount"
          id="claim-approve-amount"
          label={t('claims.form.approvedAmount')}
          hint={t('claims.form.approvedAmountHint')}
          errors={approval.errors}
        >
          {(props) => (
            <input {...props} inputMode="numeric" value={amount} onInput={(e) => setAmount(valueOf(e))} />
          )}
        </Field>
        <div class="actions">
          <button type="submit" disabled={approval.busy}>
            {t('claims.form.approveSubmit')}
          </button>
        </div>
      </form>
      <form class="card form" onSubmit={reject} aria-labelledby="claim-reject-title" noValidate>
        <h2 id="claim-reject-title">{t('claims.form.rejectTitle')}</h2>
        <GeneralError errors={rejection.errors} />
        <Field
          name="code"
          id="claim-reject-code"
          label={t('claims.form.rejectCode')}
          errors={rejection.errors}
        >
          {(props) => (
            <select {...props} value={code} onChange={(e) => setCode((e.target as HTMLSelectElement).value)}>
              {REJECTION_CODES.map((c) => (
                <option key={c} value={c}>
                  {t(`claims.rejections.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="note" id="claim-reject-note" label={t('claims.form.note')} errors={rejection.errors}>
          {(props) => <input {...props} value={note} onInput={(e) => setNote(valueOf(e))} />}
        </Field>
        <div class="actions">
          <button type="submit" class="secondary" disabled={rejection.busy}>
            {t('claims.form.rejectSubmit')}
          </button>
        </div>
      </form>
    </>
  );
}

/** The payment of an approved claim: its day and the transfer reference. */
export function PayForm({ claim, onDone }: { claim: Claim; onDone: Done }) {
  const { errors, busy, submit } = useSubmit(['paidOn', 'reference']);
  const [paidOn, setPaidOn] = useState(todayWib());
  const [reference, setReference] = useState('');
  const send = async (e: Event) => {
    e.preventDefault();
    const written = await submit(() => post(claim.claimId, 'payment', { paidOn, reference }));
    if (written) onDone(written);
  };
  return (
    <form class="card form" onSubmit={send} aria-labelledby="claim-pay-title" noValidate>
      <h2 id="claim-pay-title">{t('claims.form.payTitle')}</h2>
      <GeneralError errors={errors} />
      <Field name="paidOn" id="claim-pay-on" label={t('claims.paidOn')} errors={errors}>
        {(props) => <input {...props} type="date" value={paidOn} onInput={(e) => setPaidOn(valueOf(e))} />}
      </Field>
      <Field name="reference" id="claim-pay-reference" label={t('claims.form.payReference')} errors={errors}>
        {(props) => <input {...props} value={reference} onInput={(e) => setReference(valueOf(e))} />}
      </Field>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('claims.form.paySubmit')}
        </button>
      </div>
    </form>
  );
}
