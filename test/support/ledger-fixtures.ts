/** Request bodies and files for the end-to-end tests: programs, proposals, nomination lists. */
import type { SyntheticPerson } from '@ledger/ledger/participants/synthetic-people';
import ExcelJS from 'exceljs';
import { todayWib } from './ledger-app';

/** Villages of Muara Enim (regency 1603, province 16) and Sijunjung (1303, province 13). */
export const MUARA_ENIM = '1603';
export const EMBAWANG = '1603012011';
export const PAGAR_DEWA = '1603012012';
export const SIJUNJUNG = '1303';
export const TIMBULUN = '1303032001';
/** Sarolangun (Jambi): a regency outside both. */
export const SAROLANGUN = '1503';

/** A period that contains today (WIB): the whole of this year and the next. */
export function currentPeriod(): { from: string; to: string } {
  const year = Number(todayWib().slice(0, 4));
  return { from: `${year}-01-01`, to: `${year + 1}-12-31` };
}

/**
 * Last year (WIB), whole: every month of it has ended, so a suite that signs off or bills a
 * month passes on any day of the year. A program of it is recorded as a migration.
 */
export function lastYearPeriod(): { from: string; to: string } {
  const year = Number(todayWib().slice(0, 4)) - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export interface ProgramBody {
  name: string;
  ownerRegion: string;
  payer: string;
  fundingSource: string;
  benefitPackage: 'JKK_JKM' | 'JKK_JKM_JHT';
  period: { from: string; to: string };
  quota: number;
  ageCap?: number;
  budgetCeiling?: number;
  declaredIncome?: number;
  backfillToleranceDays?: number;
}

export function programBody(overrides: Partial<ProgramBody> = {}): ProgramBody {
  return {
    name: 'Perlindungan Pekerja Rentan Muara Enim',
    ownerRegion: MUARA_ENIM,
    payer: 'Pemerintah Kabupaten Muara Enim',
    fundingSource: 'APBD',
    benefitPackage: 'JKK_JKM',
    period: currentPeriod(),
    quota: 100,
    // The period starts on 1 January and the tests date coverage from early in the year: they
    // record facts up to two years back without being backfills (see test/backfill.e2e-spec.ts).
    backfillToleranceDays: 730,
    ...overrides,
  };
}

/** POST …/enrollments body for a person. */
export function proposal(person: SyntheticPerson): Record<string, string> {
  return {
    nik: person.nik,
    name: person.name,
    sex: person.sex,
    birthDate: person.birthDate,
    occupation: person.occupation,
    villageCode: person.villageCode,
    phone: person.phone,
  };
}

export const INDONESIAN_HEADERS = [
  'NIK',
  'Nama',
  'Jenis Kelamin',
  'Tanggal Lahir',
  'Pekerjaan',
  'Kode Desa',
  'No HP',
];

/** A row as a village template holds it: DD/MM/YYYY dates, L/P, occupation codes. */
export function nominationRow(person: SyntheticPerson): string[] {
  const [y, m, d] = person.birthDate.split('-');
  return [
    person.nik,
    person.name,
    person.sex,
    `${d}/${m}/${y}`,
    person.occupation,
    person.villageCode,
    person.phone,
  ];
}

/** A ';'-separated CSV as Indonesian Excel saves it (CRLF line ends). */
export function nominationCsv(rows: string[][], headers: string[] = INDONESIAN_HEADERS): string {
  const cell = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [headers, ...rows].map((row) => row.map(cell).join(';')).join('\r\n') + '\r\n';
}

/** An XLSX workbook with the nomination list on its first sheet, every cell as text. */
export async function nominationXlsx(
  rows: string[][],
  headers: string[] = INDONESIAN_HEADERS,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Usulan');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  // NIK and phone stay text, as operators are told to format those columns.
  sheet.getColumn(1).numFmt = '@';
  sheet.getColumn(7).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
