import type { Occupation } from '../../shared/occupations';
import type { Sex } from '../../shared/sex';

/** The columns of a nomination list (usulan BNBA) this layer understands. */
export type NominationField = 'nik' | 'name' | 'sex' | 'birthDate' | 'occupation' | 'villageCode' | 'phone';

/**
 * The normalised cells of one row. A field is absent when its cell was empty or could not be
 * normalised; in the second case the row carries a problem for that field.
 */
export interface NominationValues {
  nik?: string;
  name?: string;
  sex?: Sex;
  /** YYYY-MM-DD */
  birthDate?: string;
  occupation?: Occupation;
  /** Kode wilayah of the village (desa / kelurahan / nagari), 10 digits. */
  villageCode?: string;
  phone?: string;
}

/**
 * A format problem in one cell. `rule` is a stable English id for code and statistics;
 * `message` is Bahasa Indonesia for the village operator. Messages never repeat what the cell
 * holds: they end up in the import report, and with shifted columns even the occupation cell can
 * hold a name or a NIK (UU 27/2022). The row number is how the operator finds the cell.
 */
export interface RowProblem {
  field: NominationField;
  rule: string;
  message: string;
}

export interface NominationRow {
  /**
   * The row number the operator sees in Excel: the header row of a file that starts with it is
   * row 1, and blank rows still count, so "baris 17" in a report points at row 17 on screen.
   */
  rowNumber: number;
  values: NominationValues;
  problems: RowProblem[];
}

export type NominationFileErrorCode =
  /** The file holds no rows at all (zero bytes, or only blank lines). */
  | 'import.file.empty'
  /** The bytes are not a readable CSV / XLSX file (broken zip, unclosed quote, ...). */
  | 'import.file.unreadable'
  /** XLSX without any worksheet. */
  | 'import.xlsx.noWorksheet'
  /** One or more required columns are not in the header row. */
  | 'import.header.missing'
  /** Two header cells name the same column, so which one holds the data is unclear. */
  | 'import.header.duplicate'
  /** More data rows than the limit of one file. */
  | 'import.file.tooManyRows'
  /** A run of blank rows longer than the limit. */
  | 'import.file.blankRows'
  /** The bytes are neither UTF-8 nor Windows-1252; details name the first bad byte. */
  | 'import.file.encoding'
  /** An XLSX whose parts inflate beyond the limits (a "zip bomb", or simply too large). */
  | 'import.xlsx.inflation'
  /** The client went away; nothing more is read. */
  | 'import.cancelled';

/**
 * A problem with the file as a whole: nothing in it can be imported until the operator fixes it.
 * Row-level problems never throw; they are collected in {@link NominationRow.problems}.
 */
export class NominationFileError extends Error {
  constructor(
    readonly code: NominationFileErrorCode,
    /** Bahasa Indonesia, safe to show to the operator. */
    message: string,
    readonly details: { columns?: string[]; rowNumber?: number; column?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NominationFileError';
  }
}
