import { checkNikConsistency, maskNik, parseNik, type NikRegions } from '../../participants/nik';
import type { ExistingProgram } from '../../programs/program.state';
import { ageOn, type IsoDate } from '../../shared/dates';
import { OCCUPATIONS, type Occupation } from '../../shared/occupations';
import type { Reason } from '../../shared/rule-violation';
import type { Sex } from '../../shared/sex';
import { programCoverageEnd } from '../enrollment.state';

/**
 * The first part of a proposal's decision: each row judged on its own (NIK rules, the
 * program's region, age cap and occupations). Rows that pass go on to allocation.
 */

export interface NominationInput {
  nik?: string;
  name?: string;
  sex?: Sex;
  birthDate?: IsoDate;
  occupation?: Occupation;
  villageCode?: string;
  phone?: string;
}

export interface CheckedPerson {
  nik: string;
  name: string;
  sex: Sex;
  birthDate: IsoDate;
  occupation: Occupation;
  villageCode: string;
  phone: string | null;
}

/** Youngest working age (BPS counts the working-age population from 15). */
export const MIN_WORKING_AGE = 15;

export interface CheckContext {
  program: ExistingProgram;
  today: IsoDate;
  /** The coverage start the rows are checked at (see proposalDates). */
  coverageFrom: IsoDate;
  regions: NikRegions & { has(code: string): boolean; isWithin(code: string, ancestor: string): boolean };
}

const REQUIRED: [keyof NominationInput, string][] = [
  ['nik', 'NIK'],
  ['name', 'Nama'],
  ['sex', 'Jenis Kelamin'],
  ['birthDate', 'Tanggal Lahir'],
  ['occupation', 'Pekerjaan'],
  ['villageCode', 'Kode Desa'],
];

/** Checks one row against the NIK rules, the program's region, age cap and occupations. */
export function checkNomination(
  input: NominationInput,
  context: CheckContext,
): { ok: true; person: CheckedPerson } | { ok: false; reasons: Reason[] } {
  const reasons: Reason[] = [];
  for (const [field, label] of REQUIRED) {
    if (input[field] === undefined || input[field] === '') {
      reasons.push({ field, rule: `${field}.required`, message: `${label} wajib diisi` });
    }
  }
  const { program, today, regions, coverageFrom } = context;
  const terms = program.terms;
  if (input.name !== undefined && (/\p{Cc}/u.test(input.name) || !/\S/u.test(input.name))) {
    reasons.push({
      field: 'name',
      rule: 'name.invalid',
      message: 'Nama tidak boleh kosong atau berisi karakter kendali',
    });
  }

  if (input.nik !== undefined) {
    const parsed = parseNik(input.nik, regions, today);
    if (!parsed.ok)
      reasons.push(...parsed.errors.map((e) => ({ field: 'nik', rule: e.rule, message: e.message })));
    else if (input.birthDate && input.sex) {
      for (const issue of checkNikConsistency(parsed.value, { birthDate: input.birthDate, sex: input.sex })) {
        reasons.push({
          field: issue.rule.includes('sex') ? 'sex' : 'birthDate',
          rule: issue.rule,
          message: issue.message,
        });
      }
    }
  }
  if (input.villageCode !== undefined) {
    if (!/^\d{10}$/.test(input.villageCode) || !regions.has(input.villageCode)) {
      reasons.push({
        field: 'villageCode',
        rule: 'villageCode.unknown',
        message: 'Kode desa tidak terdaftar di Kemendagri',
      });
    } else if (!regions.isWithin(input.villageCode, terms.ownerRegion)) {
      reasons.push({
        field: 'villageCode',
        rule: 'enrollment.outsideRegion',
        message: `Domisili di luar wilayah program (${terms.ownerRegion})`,
      });
    }
  }
  if (
    input.occupation !== undefined &&
    terms.eligibleOccupations &&
    !terms.eligibleOccupations.includes(input.occupation)
  ) {
    reasons.push({
      field: 'occupation',
      rule: 'enrollment.occupation',
      message: `Pekerjaan ${OCCUPATIONS[input.occupation]} tidak termasuk sasaran program`,
    });
  }
  const end = programCoverageEnd(program);
  if (coverageFrom > end) {
    reasons.push({ rule: 'program.ended', message: `Periode program sudah berakhir pada ${end}` });
  }
  if (input.birthDate) {
    // The age cap holds at the start of coverage, the effective date, never today as such.
    const age = ageOn(input.birthDate, coverageFrom);
    if (age > terms.ageCap) {
      reasons.push({
        field: 'birthDate',
        rule: 'enrollment.ageCap',
        message: `Usia ${age} tahun pada awal perlindungan melebihi batas usia program (${terms.ageCap} tahun)`,
      });
    } else if (age < MIN_WORKING_AGE) {
      reasons.push({
        field: 'birthDate',
        rule: 'enrollment.ageMin',
        message: `Usia di bawah ${MIN_WORKING_AGE} tahun`,
      });
    }
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    person: {
      nik: input.nik!,
      name: input.name!,
      sex: input.sex!,
      birthDate: input.birthDate!,
      occupation: input.occupation!,
      villageCode: input.villageCode!,
      phone: input.phone ?? null,
    },
  };
}

/** One row of a proposal: a single worker (key 1) or a row of a nomination list. */
export interface NominationRequest {
  /** Row number in a file, or 1 for a single proposal. */
  key: number;
  values: NominationInput;
  /** Format problems found while reading the row. */
  problems: Reason[];
}

/** A row after its own checks: refused with its reasons, or a person to allocate. */
export type CheckedRow = {
  key: number;
  /** As written in the row (a public region code, or whatever the file held). */
  villageCode: string | undefined;
  maskedNik: string | null;
} & ({ refused: Reason[] } | { person: CheckedPerson });

/**
 * Checks every row on its own. A village outside the caller's scope refuses the row alone;
 * an unknown code is the row's mistake (villageCode.unknown), not a scope refusal.
 */
export function checkRows(
  requests: NominationRequest[],
  context: CheckContext & { covers?: (regionCode: string) => boolean },
): CheckedRow[] {
  return requests.map((request) => {
    const { nik, villageCode } = request.values;
    const row = {
      key: request.key,
      villageCode,
      maskedNik: nik && /^\d{16}$/.test(nik) ? maskNik(nik) : null,
    };
    if (villageCode && context.regions.has(villageCode) && context.covers && !context.covers(villageCode)) {
      return {
        ...row,
        refused: [{ field: 'villageCode', rule: 'auth.scope', message: 'Desa di luar cakupan token' }],
      };
    }
    const checked = checkNomination(request.values, context);
    if (request.problems.length > 0 || !checked.ok) {
      // The file layer already names empty required cells; the check names them again.
      const named = new Set(request.problems.map((p) => `${p.field}:${p.rule}`));
      const more = checked.ok ? [] : checked.reasons.filter((r) => !named.has(`${r.field}:${r.rule}`));
      return { ...row, refused: [...request.problems, ...more] };
    }
    return { ...row, person: checked.person };
  });
}
