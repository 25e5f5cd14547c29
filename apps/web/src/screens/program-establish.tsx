import { useState } from 'preact/hooks';
import { api, type User } from '../api';
import {
  Field,
  GeneralError,
  numberOrUndefined,
  textOrUndefined,
  useSubmit,
  valueOf,
} from '../components/form';
import { todayWib } from '../format';
import { t } from '../i18n/i18n';
import { navigate } from '../router';

/** The API's choices (EstablishProgramDto); their labels are the catalogue's. */
const FUNDING_SOURCES = ['APBD', 'APBD_P', 'APBDES', 'DANA_DESA', 'DBHCHT', 'OTHER'];
const PACKAGES = ['JKK_JKM', 'JKK_JKM_JHT'];
export const OCCUPATIONS = [
  'petani',
  'petani_sawit',
  'nelayan',
  'ojek',
  'buruh_bangunan',
  'buruh_harian_lepas',
  'pedagang_kecil',
  'kepala_desa',
  'perangkat_desa',
  'bpd',
  'linmas',
  'ketua_rt_rw',
  'guru_ngaji',
  'marbot',
  'pengurus_jenazah',
  'petugas_pemilu',
  'lainnya',
];
export const BACKFILL_REASONS = ['migration', 'late_report', 'correction'];

const FIELDS = [
  'name',
  'ownerRegion',
  'payer',
  'fundingSource',
  'benefitPackage',
  'declaredIncome',
  'period',
  'period.from',
  'period.to',
  'quota',
  'ageCap',
  'eligibleOccupations',
  'budgetCeiling',
  'backfillReason',
  'backfillNote',
];
/** Domain rules the API names without a field, and the field they are about. */
const RULE_FIELDS: Record<string, string> = {
  'program.ownerRegion': 'ownerRegion',
  'auth.scope': 'ownerRegion',
  'program.declaredIncome.min': 'declaredIncome',
  'program.period.order': 'period.to',
  'program.budget': 'budgetCeiling',
  'backfill.reasonRequired': 'backfillReason',
  'backfill.forbidden': 'backfillReason',
};

/** Where a program admin establishes a program; opened from the program list. */
export function EstablishProgram({ user, onCancel }: { user: User; onCancel: () => void }) {
  const today = todayWib();
  const own = user.regions.find((r) => /^(\d{2}|\d{4}|\d{10})$/.test(r)) ?? '';
  const [form, setForm] = useState({
    name: '',
    ownerRegion: own,
    payer: '',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    declaredIncome: '1000000',
    // From today: a period starting further back than the program's tolerance is a backfill.
    from: today,
    to: `${today.slice(0, 4)}-12-31`,
    quota: '',
    ageCap: '65',
    budgetCeiling: '',
    backfillReason: '',
    backfillNote: '',
  });
  const [occupations, setOccupations] = useState<string[]>([]);
  const { errors, busy, submit } = useSubmit(FIELDS, RULE_FIELDS);
  const set = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: valueOf(e) });
  const toggle = (code: string) =>
    setOccupations(
      occupations.includes(code) ? occupations.filter((c) => c !== code) : [...occupations, code],
    );

  const establish = async (e: Event) => {
    e.preventDefault();
    const body = {
      name: form.name.trim(),
      ownerRegion: form.ownerRegion.trim(),
      payer: form.payer.trim(),
      fundingSource: form.fundingSource,
      benefitPackage: form.benefitPackage,
      declaredIncome: numberOrUndefined(form.declaredIncome),
      period: { from: form.from, to: form.to },
      quota: numberOrUndefined(form.quota),
      ageCap: numberOrUndefined(form.ageCap),
      // None ticked: the program takes every occupation.
      eligibleOccupations: occupations.length > 0 ? occupations : undefined,
      budgetCeiling: numberOrUndefined(form.budgetCeiling),
      backfillReason: textOrUndefined(form.backfillReason),
      backfillNote: textOrUndefined(form.backfillNote),
    };
    const created = await submit(async () => {
      const written = await api<{ programId: string; consistencyToken: number }>(
        'POST',
        '/api/programs',
        body,
      );
      // The detail screen reads the read models: open it once they hold the new program.
      await api('GET', `/api/programs/${written.programId}?consistentWith=${written.consistencyToken}`);
      return written;
    });
    if (created) navigate(`/program/${created.programId}`);
  };

  const id = (name: string) => `establish-${name.replace('.', '-')}`;
  const occupationErrors = errors.fields.eligibleOccupations ?? [];
  return (
    <form class="card form" aria-labelledby="establish-title" onSubmit={establish} noValidate>
      <h2 id="establish-title">{t('programs.establish.title')}</h2>
      <GeneralError errors={errors} />
      <Field name="name" id={id('name')} label={t('programs.establish.name')} errors={errors}>
        {(props) => <input {...props} value={form.name} onInput={set('name')} required />}
      </Field>
      <Field
        name="ownerRegion"
        id={id('ownerRegion')}
        label={t('programs.establish.ownerRegion')}
        hint={t('programs.establish.ownerRegionHint')}
        errors={errors}
      >
        {(props) => (
          <input
            {...props}
            value={form.ownerRegion}
            onInput={set('ownerRegion')}
            inputMode="numeric"
            required
          />
        )}
      </Field>
      <Field name="payer" id={id('payer')} label={t('programs.establish.payer')} errors={errors}>
        {(props) => <input {...props} value={form.payer} onInput={set('payer')} required />}
      </Field>
      <Field
        name="fundingSource"
        id={id('fundingSource')}
        label={t('programs.establish.fundingSource')}
        errors={errors}
      >
        {(props) => (
          <select {...props} value={form.fundingSource} onChange={set('fundingSource')}>
            {FUNDING_SOURCES.map((code) => (
              <option key={code} value={code}>
                {t(`funding.${code}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        name="benefitPackage"
        id={id('benefitPackage')}
        label={t('programs.establish.package')}
        errors={errors}
      >
        {(props) => (
          <select {...props} value={form.benefitPackage} onChange={set('benefitPackage')}>
            {PACKAGES.map((code) => (
              <option key={code} value={code}>
                {t(`package.${code}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        name="declaredIncome"
        id={id('declaredIncome')}
        label={t('programs.establish.declaredIncome')}
        hint={t('programs.establish.declaredIncomeHint')}
        errors={errors}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            min={1000000}
            step={1}
            value={form.declaredIncome}
            onInput={set('declaredIncome')}
          />
        )}
      </Field>
      <div class="pair">
        <Field name="period.from" id={id('period.from')} label={t('programs.establish.from')} errors={errors}>
          {(props) => <input {...props} type="date" value={form.from} onInput={set('from')} required />}
        </Field>
        <Field name="period.to" id={id('period.to')} label={t('programs.establish.to')} errors={errors}>
          {(props) => <input {...props} type="date" value={form.to} onInput={set('to')} required />}
        </Field>
      </div>
      <Field name="quota" id={id('quota')} label={t('programs.establish.quota')} errors={errors}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={1}
            step={1}
            value={form.quota}
            onInput={set('quota')}
            required
          />
        )}
      </Field>
      <Field name="ageCap" id={id('ageCap')} label={t('programs.establish.ageCap')} errors={errors}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={15}
            max={100}
            step={1}
            value={form.ageCap}
            onInput={set('ageCap')}
          />
        )}
      </Field>
      <fieldset
        class="choices"
        aria-describedby={
          occupationErrors.length ? 'establish-occupations-error' : 'establish-occupations-hint'
        }
      >
        <legend>{t('programs.establish.occupations')}</legend>
        <span class="hint" id="establish-occupations-hint">
          {t('programs.establish.occupationsHint')}
        </span>
        {OCCUPATIONS.map((code) => (
          <label key={code} class="inline">
            <input type="checkbox" checked={occupations.includes(code)} onChange={() => toggle(code)} />
            {t(`occupation.${code}`)}
          </label>
        ))}
        {occupationErrors.length > 0 && (
          <p class="field-error" id="establish-occupations-error" data-field="eligibleOccupations">
            {occupationErrors.join('; ')}
          </p>
        )}
      </fieldset>
      <Field
        name="budgetCeiling"
        id={id('budgetCeiling')}
        label={t('programs.establish.budgetCeiling')}
        hint={t('programs.establish.budgetCeilingHint')}
        errors={errors}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            min={1}
            step={1}
            value={form.budgetCeiling}
            onInput={set('budgetCeiling')}
          />
        )}
      </Field>
      <BackfillFields
        prefix="establish"
        errors={errors}
        reason={form.backfillReason}
        note={form.backfillNote}
        onReason={set('backfillReason')}
        onNote={set('backfillNote')}
      />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('programs.establish.submit')}
        </button>
        <button type="button" class="secondary" onClick={onCancel}>
          {t('programs.establish.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Why a past effective date is recorded now: needed only when the API asks for it. */
export function BackfillFields(props: {
  prefix: string;
  errors: ReturnType<typeof useSubmit>['errors'];
  reason: string;
  note: string;
  onReason: (e: Event) => void;
  onNote: (e: Event) => void;
}) {
  return (
    <>
      <Field
        name="backfillReason"
        id={`${props.prefix}-backfillReason`}
        label={t('programs.backfill.reason')}
        hint={t('programs.backfill.hint')}
        errors={props.errors}
      >
        {(p) => (
          <select {...p} value={props.reason} onChange={props.onReason}>
            <option value="">{t('programs.backfill.none')}</option>
            {BACKFILL_REASONS.map((code) => (
              <option key={code} value={code}>
                {t(`programs.backfill.reasons.${code}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {props.reason && (
        <Field
          name="backfillNote"
          id={`${props.prefix}-backfillNote`}
          label={t('programs.backfill.note')}
          errors={props.errors}
        >
          {(p) => <input {...p} value={props.note} onInput={props.onNote} />}
        </Field>
      )}
    </>
  );
}
