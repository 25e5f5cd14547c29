/**
 * A small but varied ledger for the coverage reports and the rebuild tests, written through
 * the command handlers (no HTTP), together with an independent model of it: plain arrays of
 * programs, enrollments and baselines, and the expected report bodies computed from them
 * without the read models' query helpers (libs/read-models/src/coverage/coverage.query.ts).
 *
 * Two provinces: Sumatera Selatan (16) — Muara Enim (1603) and PALI (1612) — and Jambi (15)
 * — Sarolangun (1503). Six programs: one whose period ends (B, 2026-03-31), one closed early
 * (C, closed on 2026-04-15), one with a JHT package (F), one owned by a village (E), a
 * quota amendment (A), rejected and pending proposals, deregistrations for several reasons.
 */
import { fileClaim } from '@ledger/ledger/claims/file/file-claim.handler';
import type { DeregistrationReason } from '@ledger/ledger/enrollment/enrollment.events';
import { approveEnrollment } from '@ledger/ledger/enrollment/approve/approve.handler';
import { deregisterEnrollment } from '@ledger/ledger/enrollment/deregister/deregister.handler';
import {
  approveEnrollments,
  importedEnrollments,
} from '@ledger/ledger/enrollment/import/approve/approve-import.handler';
import { importNominations } from '@ledger/ledger/enrollment/import/upload/upload.handler';
import { proposeNominations } from '@ledger/ledger/enrollment/propose/propose.handler';
import { rejectEnrollment } from '@ledger/ledger/enrollment/reject/reject.handler';
import { setBaseline } from '@ledger/ledger/baselines/set/set-baseline.handler';
import { setOutsideParticipants } from '@ledger/ledger/baselines/set-outside/set-outside.handler';
import { createPeopleGenerator, type SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import { amendProgram } from '@ledger/ledger/programs/amend/amend.handler';
import { establishProgram } from '@ledger/ledger/programs/establish/establish.handler';
import type { FundingSource } from '@ledger/ledger/programs/program.events';
import { regions } from '@ledger/ledger/regions/region-directory';
import { commandContext, type CommandContext, type LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { Occupation } from '@ledger/ledger/shared/occupations';
import type { LedgerRuntime } from '@ledger/runtime';

// ---------------------------------------------------------------------------------------
// Regions

export const MUARA_ENIM = '1603';
export const PALI = '1612';
export const SAROLANGUN = '1503';
export const OKU = '1601';
/** Villages: four in Muara Enim (three districts), two in PALI (two), two in Sarolangun (two). */
export const V = {
  embawang: '1603012011', // district 160301
  pagarDewa: '1603012012', // district 160301
  tungkal: '1603021006', // district 160302
  penanggiran: '1603042001', // district 160304
  talangUbiTimur: '1612011003', // district 161201
  purun: '1612032001', // district 161203
  dusunSarolangun: '1503031001', // district 150303
  bukitTigo: '1503092002', // district 150309
} as const;
/** A village of Muara Enim nobody in this ledger lives in. */
export const EMPTY_VILLAGE = '1603012013';

// ---------------------------------------------------------------------------------------
// The model

export type ProgramKey = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

export interface ProgramModel {
  key: ProgramKey;
  id: string;
  name: string;
  ownerRegion: string;
  payer: string;
  fundingSource: FundingSource;
  benefitPackage: 'JKK_JKM' | 'JKK_JKM_JHT';
  /** The quota after every amendment. */
  quota: number;
  monthlyContribution: number;
  from: string;
  to: string;
  closedOn: string | null;
  /** Last covered day: the period end, or the closing day when earlier. */
  end: string;
}

export interface EnrollmentModel {
  key: string;
  program: ProgramKey;
  programId: string;
  enrollmentId: string;
  village: string;
  sex: 'L' | 'P';
  occupation: Occupation;
  birthYear: number;
  proposedOn: string;
  approvedOn: string | null;
  rejectedOn: string | null;
  /** Coverage start (null unless approved). */
  from: string | null;
  /** Deregistration's effective date (last covered day), null when not deregistered. */
  endedOn: string | null;
  endReason: DeregistrationReason | null;
}

export interface BaselineModel {
  regionCode: string;
  year: number;
  workingPopulation: number;
  informalWorkers: number | null;
  vulnerableWorkers: number | null;
  source: string;
}

/** BPJS participants outside the ledger of a region on a day, in the order they were set. */
export interface OutsideModel {
  regionCode: string;
  asOf: string;
  participants: number;
  source: string;
  recordedOn: string;
}

export interface CoverageModel {
  programs: Record<ProgramKey, ProgramModel>;
  enrollments: EnrollmentModel[];
  baselines: BaselineModel[];
  outside: OutsideModel[];
  /** Position of the last write: a consistency token covering the whole ledger. */
  lastToken: number;
}

interface ProgramSpec {
  key: ProgramKey;
  name: string;
  ownerRegion: string;
  payer: string;
  fundingSource: FundingSource;
  benefitPackage: 'JKK_JKM' | 'JKK_JKM_JHT';
  quota: number;
  from: string;
  to: string;
}

const MONTHLY: Record<ProgramSpec['benefitPackage'], number> = { JKK_JKM: 16_800, JKK_JKM_JHT: 36_800 };

const PROGRAMS: ProgramSpec[] = [
  {
    key: 'A',
    name: 'Perlindungan Pekerja Rentan Muara Enim 2026',
    ownerRegion: MUARA_ENIM,
    payer: 'Pemerintah Kabupaten Muara Enim',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    quota: 20,
    from: '2026-01-01',
    to: '2026-12-31',
  },
  {
    key: 'B',
    name: 'Jamsos Pekerja Rentan Sumatera Selatan 2025/2026',
    ownerRegion: '16',
    payer: 'Pemerintah Provinsi Sumatera Selatan',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    quota: 12,
    from: '2025-07-01',
    to: '2026-03-31',
  },
  {
    key: 'C',
    name: 'Perlindungan Petani Sawit PALI (DBHCHT)',
    ownerRegion: PALI,
    payer: 'Pemerintah Kabupaten PALI',
    fundingSource: 'DBHCHT',
    benefitPackage: 'JKK_JKM',
    quota: 8,
    from: '2026-01-01',
    to: '2026-12-31',
  },
  {
    key: 'D',
    name: 'Pekerja Rentan Sarolangun 2026',
    ownerRegion: SAROLANGUN,
    payer: 'Pemerintah Kabupaten Sarolangun',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    quota: 15,
    from: '2026-01-01',
    to: '2026-12-31',
  },
  {
    key: 'E',
    name: 'Perangkat Desa Embawang (Dana Desa)',
    ownerRegion: V.embawang,
    payer: 'Pemerintah Desa Embawang',
    fundingSource: 'DANA_DESA',
    benefitPackage: 'JKK_JKM',
    quota: 5,
    from: '2026-02-01',
    to: '2026-12-31',
  },
  {
    key: 'F',
    name: 'Muara Enim JKK JKM JHT (APBD Perubahan)',
    ownerRegion: MUARA_ENIM,
    payer: 'Pemerintah Kabupaten Muara Enim',
    fundingSource: 'APBD_P',
    benefitPackage: 'JKK_JKM_JHT',
    quota: 6,
    from: '2026-03-01',
    to: '2026-12-31',
  },
];

/** A's quota is amended from 20 to 25; C is closed early. */
export const QUOTA_AMENDMENT = { program: 'A' as ProgramKey, quota: 25 };
/** A nomination list imported into D and approved as a batch. */
export const IMPORT = { proposedOn: '2026-03-05', approvedOn: '2026-03-08', from: '2026-03-10' };
export const CLOSURE = { program: 'C' as ProgramKey, closedOn: '2026-04-15', decidedOn: '2026-04-10' };

interface EnrollmentSpec {
  key: string;
  program: ProgramKey;
  village: string;
  occupation: Occupation;
  /** Completed years on 2026-01-01. */
  age: [number, number];
  proposedOn: string;
  approve?: { on: string; from: string };
  reject?: string;
  deregister?: { effective: string; reason: DeregistrationReason };
}

// prettier-ignore
const ENROLLMENTS: EnrollmentSpec[] = [
  // B: the province's program, 2025-07-01 … 2026-03-31.
  { key: 'b1', program: 'B', village: V.embawang, occupation: 'petani', age: [30, 40], proposedOn: '2025-07-10', approve: { on: '2025-07-20', from: '2025-08-01' } },
  { key: 'b2', program: 'B', village: V.tungkal, occupation: 'ojek', age: [25, 34], proposedOn: '2025-07-10', approve: { on: '2025-07-20', from: '2025-08-01' }, deregister: { effective: '2025-11-10', reason: 'deceased' } },
  { key: 'b3', program: 'B', village: V.talangUbiTimur, occupation: 'petani_sawit', age: [45, 54], proposedOn: '2025-07-10', approve: { on: '2025-07-20', from: '2025-08-01' } },
  { key: 'b4', program: 'B', village: V.purun, occupation: 'buruh_harian_lepas', age: [18, 22], proposedOn: '2025-07-10', approve: { on: '2025-07-20', from: '2025-08-01' }, deregister: { effective: '2026-02-20', reason: 'moved_away' } },
  // Approved after its coverage start (retroactive coverage).
  { key: 'b5', program: 'B', village: V.penanggiran, occupation: 'pedagang_kecil', age: [55, 60], proposedOn: '2025-09-25', approve: { on: '2025-10-05', from: '2025-10-01' } },
  { key: 'b6', program: 'B', village: V.pagarDewa, occupation: 'petani', age: [35, 44], proposedOn: '2025-09-25', reject: '2025-10-05' },
  { key: 'b7', program: 'B', village: V.talangUbiTimur, occupation: 'ojek', age: [25, 34], proposedOn: '2025-09-25' },
  { key: 'b8', program: 'B', village: V.tungkal, occupation: 'petani', age: [64, 64], proposedOn: '2025-07-10', approve: { on: '2025-07-20', from: '2025-08-01' } },
  // A: Muara Enim, 2026.
  { key: 'a1', program: 'A', village: V.embawang, occupation: 'petani', age: [18, 22], proposedOn: '2025-12-10', approve: { on: '2025-12-20', from: '2026-01-01' } },
  { key: 'a2', program: 'A', village: V.embawang, occupation: 'guru_ngaji', age: [36, 43], proposedOn: '2025-12-10', approve: { on: '2025-12-20', from: '2026-01-01' } },
  { key: 'a3', program: 'A', village: V.pagarDewa, occupation: 'petani', age: [46, 53], proposedOn: '2025-12-10', approve: { on: '2025-12-20', from: '2026-01-01' }, deregister: { effective: '2026-02-20', reason: 'became_wage_earner' } },
  { key: 'a4', program: 'A', village: V.tungkal, occupation: 'ojek', age: [26, 33], proposedOn: '2025-12-10', approve: { on: '2025-12-20', from: '2026-01-01' } },
  { key: 'a5', program: 'A', village: V.penanggiran, occupation: 'buruh_bangunan', age: [36, 43], proposedOn: '2026-01-20', approve: { on: '2026-01-25', from: '2026-02-01' } },
  { key: 'a6', program: 'A', village: V.penanggiran, occupation: 'petani', age: [56, 63], proposedOn: '2026-01-20', approve: { on: '2026-01-25', from: '2026-02-01' }, deregister: { effective: '2026-04-30', reason: 'voluntary' } },
  { key: 'a7', program: 'A', village: V.pagarDewa, occupation: 'marbot', age: [40, 50], proposedOn: '2026-01-20', reject: '2026-01-25' },
  { key: 'a8', program: 'A', village: V.tungkal, occupation: 'lainnya', age: [20, 30], proposedOn: '2026-01-20' },
  { key: 'a9', program: 'A', village: V.embawang, occupation: 'petani', age: [64, 64], proposedOn: '2026-01-20', approve: { on: '2026-01-25', from: '2026-02-01' } },
  // C: PALI, 2026, closed on 2026-04-15.
  { key: 'c1', program: 'C', village: V.talangUbiTimur, occupation: 'petani_sawit', age: [30, 40], proposedOn: '2025-12-15', approve: { on: '2025-12-22', from: '2026-01-15' } },
  { key: 'c2', program: 'C', village: V.talangUbiTimur, occupation: 'buruh_harian_lepas', age: [20, 24], proposedOn: '2025-12-15', approve: { on: '2025-12-22', from: '2026-01-15' } },
  { key: 'c3', program: 'C', village: V.purun, occupation: 'petani_sawit', age: [50, 60], proposedOn: '2025-12-15', approve: { on: '2025-12-22', from: '2026-01-15' }, deregister: { effective: '2026-03-01', reason: 'deceased' } },
  { key: 'c4', program: 'C', village: V.purun, occupation: 'ojek', age: [26, 33], proposedOn: '2026-02-01', approve: { on: '2026-02-05', from: '2026-03-01' } },
  { key: 'c5', program: 'C', village: V.purun, occupation: 'petani', age: [40, 50], proposedOn: '2026-02-01' },
  // Approved to start after the day C is later closed on: never covered.
  { key: 'c6', program: 'C', village: V.talangUbiTimur, occupation: 'petani', age: [30, 40], proposedOn: '2026-03-10', approve: { on: '2026-03-12', from: '2026-05-01' } },
  // D: Sarolangun, 2026.
  { key: 'd1', program: 'D', village: V.dusunSarolangun, occupation: 'petani', age: [30, 50], proposedOn: '2026-01-05', approve: { on: '2026-01-10', from: '2026-01-15' } },
  { key: 'd2', program: 'D', village: V.dusunSarolangun, occupation: 'pedagang_kecil', age: [25, 34], proposedOn: '2026-01-05', approve: { on: '2026-01-10', from: '2026-01-15' } },
  { key: 'd3', program: 'D', village: V.bukitTigo, occupation: 'petani_sawit', age: [45, 60], proposedOn: '2026-01-05', approve: { on: '2026-01-10', from: '2026-01-15' } },
  { key: 'd4', program: 'D', village: V.bukitTigo, occupation: 'nelayan', age: [30, 40], proposedOn: '2026-02-10', approve: { on: '2026-02-12', from: '2026-03-01' }, deregister: { effective: '2026-03-01', reason: 'data_error' } },
  { key: 'd5', program: 'D', village: V.bukitTigo, occupation: 'buruh_harian_lepas', age: [20, 30], proposedOn: '2026-02-10', reject: '2026-02-12' },
  // E: the village of Embawang's own program, from 2026-02-01.
  { key: 'e1', program: 'E', village: V.embawang, occupation: 'perangkat_desa', age: [36, 44], proposedOn: '2026-01-20', approve: { on: '2026-01-28', from: '2026-02-01' } },
  { key: 'e2', program: 'E', village: V.embawang, occupation: 'linmas', age: [25, 34], proposedOn: '2026-01-20', approve: { on: '2026-01-28', from: '2026-03-01' } },
  { key: 'e3', program: 'E', village: V.embawang, occupation: 'ketua_rt_rw', age: [45, 55], proposedOn: '2026-01-20' },
  // F: JKK + JKM + JHT, from 2026-03-01.
  { key: 'f1', program: 'F', village: V.tungkal, occupation: 'petani', age: [40, 50], proposedOn: '2026-02-15', approve: { on: '2026-02-25', from: '2026-03-01' } },
  { key: 'f2', program: 'F', village: V.penanggiran, occupation: 'buruh_bangunan', age: [25, 34], proposedOn: '2026-02-15', approve: { on: '2026-02-25', from: '2026-03-15' } },
  { key: 'f3', program: 'F', village: V.pagarDewa, occupation: 'ojek', age: [20, 24], proposedOn: '2026-02-15', approve: { on: '2026-03-20', from: '2026-04-01' }, deregister: { effective: '2026-05-31', reason: 'moved_away' } },
];

/**
 * Baselines: some regions only, some years only. 1603 and 1612 have the same coverage on
 * 2026-03-15 (13/1300 = 4/400 = 1 %), as have Embawang and Tungkal (6/500 = 3/250 = 1.2 %).
 * Denominators are chosen so that no percentage falls on a rounding half.
 */
// prettier-ignore
const BASELINES: BaselineModel[] = [
  { regionCode: '16', year: 2025, workingPopulation: 19_000, informalWorkers: 15_000, vulnerableWorkers: 9_100, source: 'BPS Sakernas Agustus 2024' },
  { regionCode: '16', year: 2026, workingPopulation: 21_000, informalWorkers: 16_000, vulnerableWorkers: 9_100, source: 'BPS Sakernas Agustus 2025' },
  { regionCode: '15', year: 2025, workingPopulation: 7_000, informalWorkers: null, vulnerableWorkers: null, source: 'BPS Jambi 2024' },
  { regionCode: MUARA_ENIM, year: 2025, workingPopulation: 1_250, informalWorkers: 900, vulnerableWorkers: 650, source: 'BPS Muara Enim 2024' },
  { regionCode: MUARA_ENIM, year: 2026, workingPopulation: 1_300, informalWorkers: 900, vulnerableWorkers: 650, source: 'BPS Muara Enim 2025' },
  { regionCode: PALI, year: 2026, workingPopulation: 400, informalWorkers: null, vulnerableWorkers: null, source: 'BPS PALI 2025' },
  { regionCode: OKU, year: 2026, workingPopulation: 5_000, informalWorkers: 4_000, vulnerableWorkers: 3_000, source: 'BPS OKU 2025' },
  { regionCode: SAROLANGUN, year: 2026, workingPopulation: 600, informalWorkers: 500, vulnerableWorkers: 300, source: 'BPS Sarolangun 2025' },
  { regionCode: '160301', year: 2026, workingPopulation: 2_000, informalWorkers: null, vulnerableWorkers: null, source: 'Kecamatan Tanjung Agung' },
  { regionCode: V.embawang, year: 2026, workingPopulation: 500, informalWorkers: 400, vulnerableWorkers: 300, source: 'Profil Desa Embawang' },
  { regionCode: V.tungkal, year: 2026, workingPopulation: 250, informalWorkers: null, vulnerableWorkers: null, source: 'Profil Kelurahan Tungkal' },
  { regionCode: V.pagarDewa, year: 2026, workingPopulation: 1_000, informalWorkers: null, vulnerableWorkers: null, source: 'Profil Desa Pagar Dewa' },
];

/**
 * Participants BPJS counts outside the ledger: Muara Enim twice, its January figure corrected
 * a week later (the last one set applies), PALI, a district and a province.
 */
// prettier-ignore
const OUTSIDE: OutsideModel[] = [
  { regionCode: MUARA_ENIM, asOf: '2025-09-30', participants: 400, source: 'BPJS Cabang Muara Enim, laporan 2025-09-30', recordedOn: '2025-10-05' },
  { regionCode: MUARA_ENIM, asOf: '2026-01-31', participants: 500, source: 'BPJS Cabang Muara Enim, laporan 2026-01-31', recordedOn: '2026-02-03' },
  { regionCode: MUARA_ENIM, asOf: '2026-01-31', participants: 480, source: 'BPJS Cabang Muara Enim, laporan 2026-01-31 (koreksi)', recordedOn: '2026-02-10' },
  { regionCode: PALI, asOf: '2026-03-01', participants: 150, source: 'BPJS Cabang Prabumulih, laporan 2026-03-01', recordedOn: '2026-03-05' },
  { regionCode: '160301', asOf: '2026-02-28', participants: 900, source: 'BPJS Cabang Muara Enim, per kecamatan', recordedOn: '2026-03-02' },
  { regionCode: '16', asOf: '2026-03-31', participants: 7_000, source: 'BPJS Kanwil Sumbagsel, laporan 2026-03-31', recordedOn: '2026-04-06' },
];

const ACTOR = { id: 'coverage-e2e', role: 'program_admin', region: 'ID' };
const ctxOn = (today: string): CommandContext => commandContext(ACTOR, { today });

export function ledgerDeps(runtime: LedgerRuntime): LedgerDeps {
  return {
    store: runtime.store,
    keys: runtime.keys,
    nikHmacKey: runtime.secrets.nikHmacKey,
    regions: regions(),
  };
}

/**
 * Writes the ledger through the handlers and returns its model. `seed` varies the people
 * (sexes, birth dates) while the structure stays the same.
 */
export async function buildCoverageLedger(runtime: LedgerRuntime, seed = 1603): Promise<CoverageModel> {
  const deps = ledgerDeps(runtime);
  let lastToken = 0;
  const track = <T extends { consistencyToken: number }>(written: T): T => {
    lastToken = Math.max(lastToken, written.consistencyToken);
    return written;
  };

  const programs = {} as Record<ProgramKey, ProgramModel>;
  for (const spec of PROGRAMS) {
    const { programId } = track(
      await establishProgram(deps, ctxOn('2025-06-01'), {
        name: spec.name,
        ownerRegion: spec.ownerRegion,
        payer: spec.payer,
        fundingSource: spec.fundingSource,
        benefitPackage: spec.benefitPackage,
        declaredIncome: 1_000_000,
        period: { from: spec.from, to: spec.to },
        quota: spec.quota,
        ageCap: 65,
        eligibleOccupations: null,
        budgetCeiling: null,
      }),
    );
    programs[spec.key] = {
      key: spec.key,
      id: programId,
      name: spec.name,
      ownerRegion: spec.ownerRegion,
      payer: spec.payer,
      fundingSource: spec.fundingSource,
      benefitPackage: spec.benefitPackage,
      quota: spec.quota,
      monthlyContribution: MONTHLY[spec.benefitPackage],
      from: spec.from,
      to: spec.to,
      closedOn: null,
      end: spec.to,
    };
  }

  for (const baseline of BASELINES) track(await setBaseline(deps, ctxOn('2025-06-01'), baseline));
  for (const { recordedOn, ...figure } of OUTSIDE)
    track(await setOutsideParticipants(deps, ctxOn(recordedOn), figure));

  const people = createPeopleGenerator({ seed, today: '2026-01-01', regions: regions() });
  const enrollments: EnrollmentModel[] = [];
  for (const spec of ENROLLMENTS) {
    const program = programs[spec.program];
    const person = people.next({
      villageCode: spec.village,
      occupation: spec.occupation,
      minAge: spec.age[0],
      maxAge: spec.age[1],
    });
    const proposed = track(
      await proposeNominations(deps, ctxOn(spec.proposedOn), program.id, [
        {
          key: 1,
          values: {
            nik: person.nik,
            name: person.name,
            sex: person.sex,
            birthDate: person.birthDate,
            occupation: person.occupation,
            villageCode: person.villageCode,
            phone: person.phone,
          },
          problems: [],
        },
      ]),
    );
    const [outcome] = proposed.outcomes;
    if (outcome.status !== 'accepted' || !outcome.enrollmentId) {
      throw new Error(`proposal ${spec.key} was rejected: ${JSON.stringify(outcome.reasons)}`);
    }
    const enrollmentId = outcome.enrollmentId;
    if (spec.approve) {
      track(await approveEnrollment(deps, ctxOn(spec.approve.on), enrollmentId, spec.approve.from));
    }
    if (spec.key === 'b1') {
      // A work accident, not a death: the claims read model gets a row, no coverage changes.
      track(
        await fileClaim(deps, ctxOn('2025-09-15'), (outcome as { participantId: string }).participantId, {
          enrollmentId,
          kind: 'JKK',
          benefit: 'medical',
          eventDate: '2025-09-10',
          reportedOn: '2025-09-12',
          heirs: [],
          documents: [],
        }),
      );
    }
    if (spec.reject) {
      track(await rejectEnrollment(deps, ctxOn(spec.reject), enrollmentId, 'Bukan sasaran'));
    }
    if (spec.deregister) {
      track(
        await deregisterEnrollment(deps, ctxOn(spec.deregister.effective), enrollmentId, {
          reason: spec.deregister.reason,
          note: null,
          effectiveDate: spec.deregister.effective,
        }),
      );
    }
    enrollments.push({
      key: spec.key,
      program: spec.program,
      programId: program.id,
      enrollmentId,
      village: spec.village,
      sex: person.sex,
      occupation: person.occupation,
      birthYear: Number(person.birthDate.slice(0, 4)),
      proposedOn: spec.proposedOn,
      approvedOn: spec.approve?.on ?? null,
      rejectedOn: spec.reject ?? null,
      from: spec.approve?.from ?? null,
      endedOn: spec.deregister?.effective ?? null,
      endReason: spec.deregister?.reason ?? null,
    });
  }

  // A nomination list for D, as a village operator uploads it: two good rows and one with
  // an invalid sex; the two accepted are approved as a batch.
  const listed = [
    people.next({ villageCode: V.dusunSarolangun, occupation: 'petani', minAge: 25, maxAge: 40 }),
    people.next({ villageCode: V.bukitTigo, occupation: 'nelayan', minAge: 40, maxAge: 55 }),
  ];
  const invalid = people.next({ villageCode: V.bukitTigo, occupation: 'ojek' });
  const csvRow = (p: SyntheticPerson, sex: string = p.sex) =>
    [
      p.nik,
      p.name,
      sex,
      p.birthDate.split('-').reverse().join('/'),
      p.occupation,
      p.villageCode,
      p.phone,
    ].join(';');
  const content = Buffer.from(
    [
      'NIK;Nama;Jenis Kelamin;Tanggal Lahir;Pekerjaan;Kode Desa;No HP',
      csvRow(listed[0]),
      csvRow(invalid, 'X'),
      csvRow(listed[1]),
    ].join('\r\n'),
    'utf8',
  );
  const importedOn = IMPORT.proposedOn;
  const imported = track(
    await importNominations(deps, ctxOn(importedOn), programs.D.id, {
      content,
      fileName: 'usulan-sarolangun.csv',
      contentType: 'text/csv',
    }),
  );
  if (imported.accepted !== 2 || imported.rejected !== 1)
    throw new Error(`import: ${JSON.stringify(imported)}`);
  const { enrollmentIds } = await importedEnrollments(deps, imported.importId);
  const batch = track(
    await approveEnrollments(deps, ctxOn(IMPORT.approvedOn), enrollmentIds, IMPORT.from, imported.importId),
  );
  if (batch.approved !== 2) throw new Error(`batch approval: ${JSON.stringify(batch)}`);

  // An operator of Embawang proposes to A a worker covered by D, a program outside its scope:
  // refused without naming D, and the attempt recorded (it changes nothing else).
  const probe = track(
    await proposeNominations(
      deps,
      commandContext(
        { id: 'operator-embawang', role: 'village_operator', region: V.embawang },
        {
          today: IMPORT.approvedOn,
          covers: (code) => code.startsWith(V.embawang),
          reaches: (code) => code.startsWith(V.embawang) || V.embawang.startsWith(code),
        },
      ),
      programs.A.id,
      [{ key: 1, values: { ...listed[0], villageCode: V.embawang }, problems: [] }],
    ),
  );
  if (probe.outcomes[0].reasons[0]?.rule !== 'participant.alreadyCovered')
    throw new Error(`out-of-scope proposal: ${JSON.stringify(probe.outcomes)}`);
  listed.forEach((person, i) =>
    enrollments.push({
      key: `d-import-${i + 1}`,
      program: 'D',
      programId: programs.D.id,
      enrollmentId: enrollmentIds[i],
      village: person.villageCode,
      sex: person.sex,
      occupation: person.occupation,
      birthYear: Number(person.birthDate.slice(0, 4)),
      proposedOn: IMPORT.proposedOn,
      approvedOn: IMPORT.approvedOn,
      rejectedOn: null,
      from: IMPORT.from,
      endedOn: null,
      endReason: null,
    }),
  );

  const amended = programs[QUOTA_AMENDMENT.program];
  track(
    await amendProgram(deps, ctxOn('2026-02-01'), amended.id, {
      type: 'AmendProgramQuota',
      quota: QUOTA_AMENDMENT.quota,
      reason: 'APBD Perubahan',
    }),
  );
  amended.quota = QUOTA_AMENDMENT.quota;

  const closed = programs[CLOSURE.program];
  track(
    await amendProgram(deps, ctxOn(CLOSURE.decidedOn), closed.id, {
      type: 'CloseProgram',
      closedOn: CLOSURE.closedOn,
      reason: 'Anggaran dialihkan',
    }),
  );
  closed.closedOn = CLOSURE.closedOn;
  closed.end = CLOSURE.closedOn < closed.to ? CLOSURE.closedOn : closed.to;

  return {
    programs,
    enrollments,
    baselines: BASELINES.map((b) => ({ ...b })),
    outside: OUTSIDE.map((o) => ({ ...o })),
    lastToken,
  };
}

/** Waits until every read model has taken the whole log into account. */
export async function settle(runtime: LedgerRuntime, token: number, timeoutMs = 20_000): Promise<void> {
  const names = runtime.runner.projections.map((p) => p.name);
  if (!(await runtime.runner.waitFor(names, token, timeoutMs))) {
    throw new Error(`read models did not reach position ${token} within ${timeoutMs} ms`);
  }
}

// ---------------------------------------------------------------------------------------
// Expected answers, computed from the model alone

const directory = regions();

export const AGE_BAND_KEYS = ['<25', '25-34', '35-44', '45-54', '55-64', '65+'] as const;

function bandOf(birthYear: number, date: string): (typeof AGE_BAND_KEYS)[number] {
  const age = Number(date.slice(0, 4)) - birthYear;
  if (age <= 24) return '<25';
  if (age <= 34) return '25-34';
  if (age <= 44) return '35-44';
  if (age <= 54) return '45-54';
  if (age <= 64) return '55-64';
  return '65+';
}

/** Two decimals, null without a denominator (the denominators here never hit a rounding half). */
export function pct(part: number, whole: number | null | undefined): number | null {
  if (whole === null || whole === undefined || whole === 0) return null;
  return Math.round((part * 10_000) / whole) / 100;
}

export function regionInfo(code: string): { code: string; name: string; level: string } {
  if (code === 'ID') return { code: 'ID', name: 'Indonesia', level: 'national' };
  const region = directory.get(code);
  if (!region) throw new Error(`unknown region ${code}`);
  return { code: region.code, name: region.name, level: region.level };
}

export function childrenOf(code: string): string[] {
  return [...directory.children(code === 'ID' ? '' : code)];
}

const inRegion = (region: string, village: string) => region === 'ID' || village.startsWith(region);

/** The enrollments covered on `date`: coverageFrom ≤ date ≤ min(deregistration, program end). */
export function activeOn(model: CoverageModel, date: string, region = 'ID'): EnrollmentModel[] {
  return model.enrollments.filter((e) => {
    if (e.from === null || e.rejectedOn !== null) return false;
    if (!inRegion(region, e.village)) return false;
    const programEnd = model.programs[e.program].end;
    const last = e.endedOn !== null && e.endedOn < programEnd ? e.endedOn : programEnd;
    return e.from <= date && date <= last;
  });
}

export function baselineOf(model: CoverageModel, region: string, year: number) {
  const b = model.baselines.find((x) => x.regionCode === region && x.year === year);
  return b
    ? {
        year: b.year,
        workingPopulation: b.workingPopulation,
        informalWorkers: b.informalWorkers,
        vulnerableWorkers: b.vulnerableWorkers,
        source: b.source,
      }
    : null;
}

/** Counts per key, largest first, then by key; only keys with someone active. */
function tally(
  items: EnrollmentModel[],
  keyOf: (e: EnrollmentModel) => string,
): { key: string; active: number }[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return [...counts]
    .map(([key, active]) => ({ key, active }))
    .sort((a, b) => b.active - a.active || a.key.localeCompare(b.key));
}

/** The outside figure in force on a day: the latest day on or before it, the last one set. */
export function outsideOf(model: CoverageModel, region: string, date: string) {
  let found: OutsideModel | null = null;
  for (const o of model.outside)
    if (o.regionCode === region && o.asOf <= date && (!found || o.asOf >= found.asOf)) found = o;
  return found
    ? {
        participants: found.participants,
        asOf: found.asOf,
        source: found.source,
        setBy: ACTOR.id,
        setAt: expect.any(String) as unknown as string,
      }
    : null;
}

export function expectedCoverage(model: CoverageModel, regionCode: string, date: string) {
  const region = regionInfo(regionCode);
  const year = Number(date.slice(0, 4));
  const active = activeOn(model, date, regionCode);
  const baseline = baselineOf(model, regionCode, year);
  const byId = new Map(Object.values(model.programs).map((p) => [p.id, p]));
  const byProgram = tally(active, (e) => e.programId).map(({ key, active: n }) => {
    const p = byId.get(key)!;
    return {
      programId: p.id,
      name: p.name,
      payer: p.payer,
      fundingSource: p.fundingSource,
      active: n,
      quota: p.quota,
      quotaUse: pct(n, p.quota),
    };
  });
  return {
    region,
    date,
    active: active.length,
    baseline,
    coverage: {
      ofWorkingPopulation: pct(active.length, baseline?.workingPopulation),
      ofVulnerableWorkers: pct(active.length, baseline?.vulnerableWorkers),
      denominator: baseline?.workingPopulation ?? null,
      source: baseline?.source ?? null,
      note: baseline
        ? null
        : `Belum ada data penduduk bekerja untuk ${region.name} tahun ${year}; persentase tidak dihitung`,
    },
    byProgram,
    byPayer: tally(active, (e) => model.programs[e.program].payer),
    byFundingSource: tally(active, (e) => model.programs[e.program].fundingSource),
    byOccupation: tally(active, (e) => e.occupation),
    bySex: tally(active, (e) => e.sex),
    byAgeBand: AGE_BAND_KEYS.map((band) => ({
      key: band,
      active: active.filter((e) => bandOf(e.birthYear, date) === band).length,
    })),
    below: childrenOf(regionCode).map((code) => {
      const child = regionInfo(code);
      const n = activeOn(model, date, code).length;
      const wp = baselineOf(model, code, year)?.workingPopulation ?? null;
      return {
        code,
        name: child.name,
        level: child.level,
        active: n,
        workingPopulation: wp,
        coverage: pct(n, wp),
        ...outsideColumns(outsideOf(model, code, date), n, wp),
      };
    }),
    ucj: expectedUcj(model, region, date, active.length, baseline),
  };
}

function outsideColumns(
  outside: ReturnType<typeof outsideOf>,
  active: number,
  workingPopulation: number | null,
) {
  return {
    outsideParticipants: outside?.participants ?? null,
    outsideAsOf: outside?.asOf ?? null,
    outsideSource: outside?.source ?? null,
    ucj: outside ? pct(active + outside.participants, workingPopulation) : null,
  };
}

/** UCJ = (the ledger's active + those outside it) ÷ working population, each part with its source. */
export function expectedUcj(
  model: CoverageModel,
  region: { code: string; name: string },
  date: string,
  active: number,
  baseline: ReturnType<typeof baselineOf>,
) {
  const year = Number(date.slice(0, 4));
  const outside = outsideOf(model, region.code, date);
  const participants = outside ? active + outside.participants : null;
  const notes = [
    ...(outside
      ? []
      : [`Belum ada data peserta BPJS Ketenagakerjaan di luar program untuk ${region.name} per ${date}`]),
    ...(baseline ? [] : [`Belum ada data penduduk bekerja untuk ${region.name} tahun ${year}`]),
  ];
  return {
    percent: participants === null ? null : pct(participants, baseline?.workingPopulation),
    participants,
    funded: { participants: active, date, source: `Ledger ini: peserta aktif program daerah per ${date}` },
    outside,
    workingPopulation: baseline ? { count: baseline.workingPopulation, year, source: baseline.source } : null,
    missing: [...(outside ? [] : ['outsideParticipants']), ...(baseline ? [] : ['workingPopulation'])],
    note: notes.length > 0 ? `${notes.join('; ')}; UCJ tidak dihitung` : null,
  };
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const ymd = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** Month ends from `from` to `to`, `to` closing a partial last month. */
export function monthEndsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (;;) {
    const end = ymd(year, month, daysIn(year, month));
    if (end >= to) return [...out, to];
    out.push(end);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

export function expectedSeries(model: CoverageModel, regionCode: string, from: string, to: string) {
  return {
    region: regionInfo(regionCode),
    from,
    to,
    points: monthEndsOf(from, to).map((date) => {
      const n = activeOn(model, date, regionCode).length;
      const wp = baselineOf(model, regionCode, Number(date.slice(0, 4)))?.workingPopulation ?? null;
      return { date, active: n, workingPopulation: wp, coverage: pct(n, wp) };
    }),
  };
}

/** The same day one month earlier, clamped to that month's last day. */
export function monthBefore(date: string): string {
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7)) - 1;
  if (month === 0) {
    month = 12;
    year -= 1;
  }
  return ymd(year, month, Math.min(Number(date.slice(8, 10)), daysIn(year, month)));
}

export function expectedRanking(
  model: CoverageModel,
  scope: { province?: string; regency?: string },
  date: string,
) {
  const scopeCode = scope.regency ?? scope.province ?? 'ID';
  const items = scope.regency ? directory.villagesOf(scope.regency) : childrenOf(scopeCode);
  const measure = (day: string) => {
    const year = Number(day.slice(0, 4));
    const entries = items.map((code) => {
      const n = activeOn(model, day, code).length;
      const wp = baselineOf(model, code, year)?.workingPopulation ?? null;
      return { code, active: n, workingPopulation: wp, coverage: pct(n, wp) };
    });
    // Competition ranking: one more than the number of ranked regions strictly ahead.
    return new Map(
      entries.map((e) => [
        e.code,
        {
          ...e,
          rank:
            e.coverage === null
              ? null
              : 1 + entries.filter((o) => o.coverage !== null && o.coverage > e.coverage!).length,
        },
      ]),
    );
  };
  const previousDate = monthBefore(date);
  const now = measure(date);
  const before = measure(previousDate);
  const ranking = [...now.values()]
    .map((e) => {
      const prev = before.get(e.code)!;
      return {
        rank: e.rank,
        code: e.code,
        name: regionInfo(e.code).name,
        active: e.active,
        workingPopulation: e.workingPopulation,
        coverage: e.coverage,
        previousRank: prev.rank,
        previousCoverage: prev.coverage,
        movement: e.rank !== null && prev.rank !== null ? prev.rank - e.rank : null,
      };
    })
    .sort((a, b) => {
      if (a.rank !== b.rank) {
        if (a.rank === null) return 1;
        if (b.rank === null) return -1;
        return a.rank - b.rank;
      }
      return a.name.localeCompare(b.name);
    });
  return {
    scope: regionInfo(scopeCode),
    date,
    previousDate,
    note: ranking.some((r) => r.rank === null)
      ? 'Wilayah tanpa data penduduk bekerja untuk tahun itu tidak diperingkat (rank null)'
      : null,
    ranking,
  };
}

/**
 * The summary by effective dates: a coverage counts by its period whenever its approval was
 * recorded (active on the days it runs, ended after its last day, not yet started once
 * approved); without one, an enrollment is rejected from its rejection day and pending from
 * its proposal day. An enrollment none of whose dates is reached is not counted at all.
 */
export function expectedProgramSummary(model: CoverageModel, key: ProgramKey, date: string) {
  const program = model.programs[key];
  let proposed = 0;
  let pending = 0;
  let approved = 0;
  let rejected = 0;
  let notYetStarted = 0;
  let active = 0;
  let ended = 0;
  const reasons: Record<string, number> = {};
  for (const e of model.enrollments.filter((x) => x.program === key)) {
    if (e.from !== null) {
      const last = e.endedOn !== null && e.endedOn < program.end ? e.endedOn : program.end;
      // After the last day everything is over, also a start that the early close pre-empted.
      const covered = date > last || date >= e.from || (e.approvedOn !== null && e.approvedOn <= date);
      if (covered) {
        approved += 1;
        if (date > last) ended += 1;
        else if (date >= e.from) active += 1;
        else notYetStarted += 1;
        if (e.endedOn !== null && e.endedOn < date) reasons[e.endReason!] = (reasons[e.endReason!] ?? 0) + 1;
      } else if (e.proposedOn <= date) pending += 1;
      else continue;
    } else if (e.rejectedOn !== null && e.rejectedOn <= date) rejected += 1;
    else if (e.proposedOn <= date) pending += 1;
    else continue;
    proposed += 1;
  }
  const seats = pending + notYetStarted + active;
  return {
    programId: program.id,
    name: program.name,
    date,
    period: { from: program.from, end: program.end },
    proposed,
    pending,
    approved,
    rejected,
    notYetStarted,
    active,
    ended,
    quota: program.quota,
    quotaUse: { seats, percent: pct(seats, program.quota) },
    deregistrationsByReason: Object.fromEntries(
      Object.entries(reasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
    monthlyContribution: program.monthlyContribution,
    monthlyLiability: active * program.monthlyContribution,
  };
}
