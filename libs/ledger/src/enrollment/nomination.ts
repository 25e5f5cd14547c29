import { parseNik, checkNikConsistency, type NikRegions } from '../participants/nik';
import type { NikRegistryState } from '../participants/participant.events';
import { ageOn, maxDate, type IsoDate } from '../shared/dates';
import { OCCUPATIONS, type Occupation } from '../shared/occupations';
import type { Sex } from '../shared/sex';
import type { ProgramState } from '../programs/program.decider';
import { programCoverageEnd } from './enrollment.decider';

/**
 * Deciding nominations, one row or a whole list (usulan BNBA) at a time, in two pure steps:
 * `checkNomination` judges each row on its own; `allocateNominations` then applies the rules
 * that span rows and streams (one active coverage per NIK, the program's quota). The handler
 * does the I/O in between: HMAC of each NIK and reading the registries and the seats.
 */

export interface Reason {
  field?: string;
  rule: string;
  message: string;
}

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
  program: Extract<ProgramState, { status: 'open' | 'closed' }>;
  today: IsoDate;
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
  const { program, today, regions } = context;
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
  if (today > end) {
    reasons.push({ rule: 'program.ended', message: `Periode program sudah berakhir pada ${end}` });
  }
  if (input.birthDate) {
    // The age cap holds at the start of coverage: the program start, or today once it has started.
    const start = maxDate(terms.period.from, today);
    const age = ageOn(input.birthDate, start);
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

export interface AllocationCandidate {
  /** Position in the request (row number for files). */
  key: number;
  nikKey: string;
  enrollmentId: string;
  /** Used when the NIK has never been registered, or its participant was erased. */
  newParticipantId: string;
}

export interface OtherProgram {
  programId: string;
  name: string;
  from: IsoDate;
  end: IsoDate;
  /** Whether the caller's scope reaches the program: only then may a refusal name it. */
  visible: boolean;
}

export interface AllocationContext {
  program: Extract<ProgramState, { status: 'open' | 'closed' }>;
  quota: number;
  seatsInUse: number;
  registries: Map<string, NikRegistryState>;
  /** Programs named by existing claims, with their current coverage window. */
  programs: Map<string, OtherProgram>;
  /** Participants whose data was erased: a new registration replaces them. */
  erased: Set<string>;
}

export type Allocation =
  | {
      key: number;
      accepted: true;
      enrollmentId: string;
      participantId: string;
      nikKey: string;
      newParticipant: boolean;
    }
  | {
      key: number;
      accepted: false;
      reasons: Reason[];
      /** Refused for a coverage in a program the caller cannot see: worth recording as a probe. */
      coveredOutOfScope?: true;
    };

/** The refusal of a NIK covered by a program the caller's scope does not reach: names nothing. */
export const COVERED_ELSEWHERE_MESSAGE =
  'Pekerja sudah terdaftar pada program lain yang periodenya beririsan, di luar cakupan token';

/**
 * Applies the cross-stream invariants in request order: a NIK already covered (or nominated)
 * by a program whose period overlaps this one is refused, naming that program when the caller
 * may see it (otherwise with a neutral message, the same rule, and marked as a probe); a NIK
 * twice in the same request is refused the second time; rows beyond the remaining quota are
 * refused.
 */
export function allocateNominations(
  candidates: AllocationCandidate[],
  context: AllocationContext,
): Allocation[] {
  const { program } = context;
  const from = program.terms.period.from;
  const end = programCoverageEnd(program);
  let free = context.quota - context.seatsInUse;
  const seen = new Map<string, number>();
  return candidates.map((candidate) => {
    const earlier = seen.get(candidate.nikKey);
    if (earlier !== undefined) {
      return {
        key: candidate.key,
        accepted: false,
        reasons: [
          { field: 'nik', rule: 'nik.duplicateInRequest', message: `NIK sama dengan baris ${earlier}` },
        ],
      };
    }
    seen.set(candidate.nikKey, candidate.key);
    const registry = context.registries.get(candidate.nikKey);
    for (const [, claim] of registry?.claims ?? []) {
      const other = context.programs.get(claim.programId);
      if (!other) continue;
      if (other.from <= end && from <= other.end) {
        const message = other.visible
          ? `Pekerja sudah terdaftar pada program "${other.name}" (${other.programId}) yang periodenya beririsan`
          : COVERED_ELSEWHERE_MESSAGE;
        return {
          key: candidate.key,
          accepted: false,
          reasons: [{ field: 'nik', rule: 'participant.alreadyCovered', message }],
          ...(other.visible ? {} : { coveredOutOfScope: true as const }),
        };
      }
    }
    if (free <= 0) {
      return {
        key: candidate.key,
        accepted: false,
        reasons: [{ rule: 'enrollment.quota', message: `Kuota program (${context.quota}) sudah penuh` }],
      };
    }
    free -= 1;
    const known = registry?.participantId;
    const reuse = known && !context.erased.has(known);
    return {
      key: candidate.key,
      accepted: true,
      enrollmentId: candidate.enrollmentId,
      participantId: reuse ? known : candidate.newParticipantId,
      nikKey: candidate.nikKey,
      newParticipant: !reuse,
    };
  });
}
