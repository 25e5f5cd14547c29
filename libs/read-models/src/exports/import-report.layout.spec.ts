import { parse } from 'csv-parse/sync';
import { maskNik } from '@ledger/ledger/participants/nik';
import { REPORT_HEADERS, toReportCsv, type ImportReportRow } from './import-report.layout';

const accepted: ImportReportRow = {
  rowNumber: 2,
  status: 'accepted',
  reasons: [],
  maskedNik: '1603**********01',
  enrollmentId: 'enr_01J9Z8',
};
const rejected: ImportReportRow = {
  rowNumber: 5,
  status: 'rejected',
  reasons: [
    {
      rule: 'sex.invalid',
      message: "Jenis kelamin 'X' tidak dikenali; isi L (laki-laki) atau P (perempuan).",
    },
    { rule: 'occupation.unknown', message: "Pekerjaan 'Guru Honorer' tidak dikenali." },
  ],
  maskedNik: '************0002',
};

/** Reads the report back as Excel would, with the delimiter and byte-order mark it was written with. */
function read(csv: string, delimiter = ';'): string[][] {
  return parse(csv, { delimiter, bom: true }) as string[][];
}

describe('toReportCsv', () => {
  it('writes one line per row under Indonesian headers, for Excel set to Indonesian', () => {
    const csv = toReportCsv([accepted, rejected]);
    expect(csv.startsWith('\uFEFFBaris;Status;NIK (disamarkan);Alasan;ID Pendaftaran\r\n')).toBe(true);
    expect(read(csv)).toEqual([
      [...REPORT_HEADERS],
      ['2', 'Diterima', '1603**********01', '', 'enr_01J9Z8'],
      [
        '5',
        'Ditolak',
        '************0002',
        "Jenis kelamin 'X' tidak dikenali; isi L (laki-laki) atau P (perempuan). [sex.invalid]; " +
          "Pekerjaan 'Guru Honorer' tidak dikenali. [occupation.unknown]",
        '',
      ],
    ]);
  });

  it('quotes the reasons, which contain the delimiter', () => {
    expect(toReportCsv([rejected])).toContain(";\"Jenis kelamin 'X'");
  });

  it('keeps the order it is given and accepts any iterable', () => {
    function* rows(): Generator<ImportReportRow> {
      yield { ...rejected, rowNumber: 9 };
      yield { ...accepted, rowNumber: 3 };
    }
    expect(read(toReportCsv(rows())).map((line) => line[0])).toEqual(['Baris', '9', '3']);
  });

  it('writes only the header for no rows', () => {
    expect(read(toReportCsv([]))).toEqual([[...REPORT_HEADERS]]);
  });

  it('can write comma-separated without byte-order mark', () => {
    const csv = toReportCsv([rejected], { delimiter: ',', bom: false });
    expect(csv.startsWith('Baris,Status,NIK (disamarkan),Alasan,ID Pendaftaran\r\n')).toBe(true);
    expect(read(csv, ',')[1][3]).toContain('[occupation.unknown]');
  });

  it('a row without NIK (the cell was empty) leaves the column empty', () => {
    const row: ImportReportRow = {
      rowNumber: 7,
      status: 'rejected',
      reasons: [{ rule: 'nik.required', message: 'NIK wajib diisi.' }],
    };
    expect(read(toReportCsv([row]))[1]).toEqual(['7', 'Ditolak', '', 'NIK wajib diisi. [nik.required]', '']);
  });

  describe('personal data (UU 27/2022)', () => {
    it('never writes names or other fields it is not given columns for', () => {
      const withPersonalData = {
        ...accepted,
        name: 'Siti Aminah',
        nik: '1603015705900001',
        birthDate: '1990-05-17',
      };
      const csv = toReportCsv([withPersonalData as ImportReportRow]);
      expect(csv).not.toContain('Siti');
      expect(csv).not.toContain('1603015705900001');
      expect(csv).not.toContain('1990');
    });

    it('masks a full NIK passed by mistake as the masked NIK', () => {
      for (const nik of ['1603015705900001', '1603 0157 0590 0001', '16.03.01.570590.0001']) {
        const [, line] = read(toReportCsv([{ ...accepted, maskedNik: nik }]));
        expect(line[2]).toBe('1603**********01');
      }
    });

    it('masks a full NIK inside a reason', () => {
      const row: ImportReportRow = {
        ...rejected,
        reasons: [{ rule: 'nik.duplicate', message: 'NIK 1603015705900001 sudah diusulkan pada baris 3.' }],
      };
      const csv = toReportCsv([row]);
      expect(csv).not.toContain('1603015705900001');
      expect(read(csv)[1][3]).toBe('NIK 1603**********01 sudah diusulkan pada baris 3. [nik.duplicate]');
    });
  });

  it('defuses cells Excel would run as formulas', () => {
    const row: ImportReportRow = {
      rowNumber: 4,
      status: 'rejected',
      reasons: [{ rule: 'occupation.unknown', message: '=HYPERLINK("http://x","klik")' }],
      enrollmentId: '+123',
    };
    const [, line] = read(toReportCsv([row]));
    expect(line[3]).toBe('\'=HYPERLINK("http://x","klik") [occupation.unknown]');
    expect(line[4]).toBe("'+123");
  });
});

describe('maskNik', () => {
  it('keeps the last four digits', () => {
    expect(maskNik('1603015705900001')).toBe('1603**********01');
    expect(maskNik('1234')).toBe('****');
    expect(maskNik('')).toBe('');
  });
});
