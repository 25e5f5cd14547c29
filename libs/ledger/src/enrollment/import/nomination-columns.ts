import type { NominationField } from './nomination-row';

/** How the column is called in messages to the operator and in the template. */
export const COLUMN_LABELS: Readonly<Record<NominationField, string>> = {
  nik: 'NIK',
  name: 'Nama',
  sex: 'Jenis Kelamin',
  birthDate: 'Tanggal Lahir',
  occupation: 'Pekerjaan',
  villageCode: 'Kode Desa',
  phone: 'No HP',
};

export const REQUIRED_FIELDS: readonly NominationField[] = [
  'nik',
  'name',
  'sex',
  'birthDate',
  'occupation',
  'villageCode',
];

/**
 * Header spellings seen in village templates, Indonesian and English. They are compared after
 * {@link headerKey}, so 'No. HP', 'NO HP' and 'no_hp' are all the same key and need no entry here.
 */
const HEADER_ALIASES: Readonly<Record<NominationField, readonly string[]>> = {
  nik: ['NIK', 'No KTP', 'Nomor KTP', 'Nomor Induk Kependudukan', 'NIK KTP', 'NIK/No KTP'],
  name: ['Nama', 'Nama Lengkap', 'Name', 'Full Name', 'Nama Peserta', 'Nama Pekerja', 'Nama Sesuai KTP'],
  sex: ['Jenis Kelamin', 'JK', 'Sex', 'Gender', 'L/P', 'Kelamin'],
  birthDate: ['Tanggal Lahir', 'Tgl Lahir', 'Tgl. Lahir', 'Birth Date', 'Date of Birth', 'Birthdate', 'DOB'],
  occupation: ['Pekerjaan', 'Occupation', 'Job', 'Jenis Pekerjaan', 'Profesi'],
  villageCode: [
    'Kode Desa',
    'Kode Wilayah',
    'Kode Kelurahan',
    'Village Code',
    'Kode Desa/Kelurahan',
    'Kode Nagari',
  ],
  phone: [
    'No HP',
    'Nomor HP',
    'No Telepon',
    'Phone',
    'No Telp',
    'Nomor Telepon',
    'Telepon',
    'HP',
    'No HP/WA',
    'No WA',
    'Nomor WhatsApp',
    'Phone Number',
    'Handphone',
  ],
};

/**
 * Reduces a header cell to a comparison key: lower case, letters and digits only. Hints in
 * brackets are dropped first because templates write them into the header, e.g.
 * 'Jenis Kelamin (L/P)' or 'Tanggal Lahir (DD/MM/YYYY)'.
 */
export function headerKey(header: string): string {
  return header
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FIELD_BY_KEY: ReadonlyMap<string, NominationField> = (() => {
  const map = new Map<string, NominationField>();
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [NominationField, readonly string[]][]) {
    for (const alias of aliases) {
      const key = headerKey(alias);
      const taken = map.get(key);
      // A key shared by two fields would make a header silently mean the wrong thing.
      if (taken && taken !== field) throw new Error(`header alias '${alias}' is ambiguous`);
      map.set(key, field);
    }
  }
  return map;
})();

export function fieldForHeader(header: string): NominationField | undefined {
  return FIELD_BY_KEY.get(headerKey(header));
}

export interface HeaderMatch {
  /** 0-based index of the cell holding each recognised field. */
  columns: Map<NominationField, number>;
  missing: NominationField[];
  /** Fields named by more than one header cell, with the header texts as written. */
  duplicates: { field: NominationField; headers: string[] }[];
}

/** Matches one row of header cells against the known columns; unknown cells are ignored. */
export function matchHeader(cells: readonly string[]): HeaderMatch {
  const columns = new Map<NominationField, number>();
  const seen = new Map<NominationField, string[]>();
  cells.forEach((cell, index) => {
    const field = fieldForHeader(cell);
    if (!field) return;
    if (!columns.has(field)) columns.set(field, index);
    seen.set(field, [...(seen.get(field) ?? []), cell.trim()]);
  });
  return {
    columns,
    missing: REQUIRED_FIELDS.filter((field) => !columns.has(field)),
    duplicates: [...seen]
      .filter(([, headers]) => headers.length > 1)
      .map(([field, headers]) => ({ field, headers })),
  };
}
