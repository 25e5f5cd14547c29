import { headerKey } from '../../enrollment/import/nomination-columns';
import { RuleViolation } from '../../shared/rule-violation';

/** The columns of a BPJS bill this reader understands; the name is read past and never kept. */
export type BillField = 'nik' | 'kpj' | 'name' | 'period' | 'amount';
export const BILL_FIELDS: readonly BillField[] = ['nik', 'kpj', 'name', 'period', 'amount'];

export const BILL_COLUMN_LABELS: Readonly<Record<BillField, string>> = {
  nik: 'NIK',
  kpj: 'Nomor KPJ',
  name: 'Nama',
  period: 'Periode',
  amount: 'Iuran',
};

/**
 * Header spellings of bills from BPJS branches, Indonesian and English, compared after
 * `headerKey` (case, spaces and punctuation do not matter). A layout not listed here is read
 * with an explicit mapping (`columns[nik]=...`).
 */
const BILL_ALIASES: Readonly<Record<BillField, readonly string[]>> = {
  nik: [
    'NIK',
    'No KTP',
    'Nomor KTP',
    'Nomor Induk Kependudukan',
    'NIK KTP',
    'NIK Peserta',
    'NIK Tenaga Kerja',
    'ID Number',
  ],
  kpj: [
    'KPJ',
    'No KPJ',
    'Nomor KPJ',
    'KPJ Number',
    'KPJ No',
    'No Kartu',
    'Nomor Kartu',
    'Nomor Kartu Peserta',
    'No Peserta',
    'Nomor Peserta',
    'Membership Number',
    'Member Number',
  ],
  name: [
    'Nama',
    'Nama Peserta',
    'Nama Tenaga Kerja',
    'Nama Lengkap',
    'Name',
    'Full Name',
    'Participant Name',
  ],
  period: [
    'Periode',
    'Period',
    'Periode Iuran',
    'Periode Tagihan',
    'Bulan',
    'Bulan Iuran',
    'Bulan Tagihan',
    'Masa Iuran',
    'Month',
    'Billing Period',
    'Contribution Month',
  ],
  amount: [
    'Iuran',
    'Jumlah',
    'Jumlah Iuran',
    'Total Iuran',
    'Nilai Iuran',
    'Nominal',
    'Nominal Iuran',
    'Tagihan',
    'Jumlah Tagihan',
    'Total Tagihan',
    'Amount',
    'Contribution',
    'Contribution Amount',
    'Total',
    'Rupiah',
  ],
};

const FIELD_BY_KEY: ReadonlyMap<string, BillField> = (() => {
  const map = new Map<string, BillField>();
  for (const [field, aliases] of Object.entries(BILL_ALIASES) as [BillField, readonly string[]][]) {
    for (const alias of aliases) {
      const key = headerKey(alias);
      if (map.has(key) && map.get(key) !== field)
        throw new Error(`bill header alias '${alias}' is ambiguous`);
      map.set(key, field);
    }
  }
  return map;
})();

/**
 * How the caller named the columns of an unknown layout: a header as written ('No. Identitas'),
 * a column letter ('C') or a column number counted from 1 ('3').
 */
export type ColumnMapping = Partial<Record<BillField, string>>;

const MAX_MAPPING_LENGTH = 100;

/**
 * Reads `columns[nik]=...` form fields (or `columns.nik`), refusing an unknown field name or an
 * unreadable value before the file is read.
 */
export function columnMappingOf(fields: Record<string, string>): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const [name, value] of Object.entries(fields)) {
    const match = /^columns(?:\[([^\]]*)\]|\.(.*))$/.exec(name);
    if (!match) continue;
    const field = (match[1] ?? match[2]) as BillField;
    if (!BILL_FIELDS.includes(field)) {
      throw new RuleViolation(
        'bill.columns.unknown',
        `Kolom ${name} tidak dikenal; yang dapat dipetakan: ${BILL_FIELDS.map((f) => `columns[${f}]`).join(', ')}`,
        'unprocessable',
        { field: name },
      );
    }
    const text = value.trim();
    if (text === '' || text.length > MAX_MAPPING_LENGTH) {
      throw new RuleViolation(
        'bill.columns.invalid',
        `Pemetaan ${name} harus nama judul kolom, huruf kolom (mis. C) atau nomor kolom (mis. 3), paling panjang ${MAX_MAPPING_LENGTH} karakter`,
        'unprocessable',
        { field: name },
      );
    }
    mapping[field] = text;
  }
  return mapping;
}

/** 0-based index of a column letter ('A', 'AB') or 1-based number ('3'), if the text is one. */
function columnIndexOf(text: string): number | undefined {
  if (/^[1-9]\d{0,3}$/.test(text)) return Number(text) - 1;
  if (/^[A-Za-z]{1,3}$/.test(text)) {
    let index = 0;
    for (const ch of text.toUpperCase()) index = index * 26 + (ch.charCodeAt(0) - 64);
    return index - 1;
  }
  return undefined;
}

export interface BillHeader {
  columns: Map<BillField, number>;
  duplicates: { field: BillField; headers: string[] }[];
  /** Mapped fields whose header is not in the row (and that are no column letter or number). */
  unmatched: BillField[];
}

/**
 * Matches one row of header cells: a mapped field by the caller's header text (or its column
 * letter or number when no header is written so), every other field by the known spellings.
 */
export function matchBillHeader(cells: readonly string[], mapping: ColumnMapping): BillHeader {
  const columns = new Map<BillField, number>();
  const seen = new Map<BillField, string[]>();
  const mappedKeys = new Map<string, BillField>();
  const unmatched: BillField[] = [];
  for (const [field, text] of Object.entries(mapping) as [BillField, string][]) {
    const byHeader = cells.findIndex((cell) => headerKey(cell) !== '' && headerKey(cell) === headerKey(text));
    const index = byHeader >= 0 ? byHeader : columnIndexOf(text);
    if (index === undefined) {
      unmatched.push(field);
      continue;
    }
    columns.set(field, index);
    mappedKeys.set(headerKey(cells[index] ?? ''), field);
  }
  cells.forEach((cell, index) => {
    const key = headerKey(cell);
    if (key === '') return;
    // A header the caller mapped means what the mapping says, not what its spelling suggests.
    const field = mappedKeys.has(key) ? undefined : FIELD_BY_KEY.get(key);
    if (!field || mapping[field] !== undefined) return;
    if (!columns.has(field)) columns.set(field, index);
    seen.set(field, [...(seen.get(field) ?? []), cell.trim()]);
  });
  return {
    columns,
    unmatched,
    duplicates: [...seen]
      .filter(([, headers]) => headers.length > 1)
      .map(([field, headers]) => ({ field, headers })),
  };
}

/** A header is usable with an amount and a way to name the person (NIK or KPJ number). */
export function missingBillFields(header: BillHeader): BillField[] {
  const missing: BillField[] = [];
  if (!header.columns.has('nik') && !header.columns.has('kpj')) missing.push('nik');
  if (!header.columns.has('amount')) missing.push('amount');
  return missing;
}
