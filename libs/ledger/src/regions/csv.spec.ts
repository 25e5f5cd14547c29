import { CsvError, parseCsv, parseCsvRecords } from './csv';

describe('parseCsv', () => {
  it('splits plain rows on commas and CRLF or LF line ends', () => {
    expect(parseCsv('code,name\r\n11,Aceh\n12,Sumatera Utara\r\n')).toEqual([
      ['code', 'name'],
      ['11', 'Aceh'],
      ['12', 'Sumatera Utara'],
    ]);
  });

  it('keeps commas inside quoted fields', () => {
    expect(parseCsv('1207281007,120728,"Lubuk Pakam I,II",kelurahan\r\n')).toEqual([
      ['1207281007', '120728', 'Lubuk Pakam I,II', 'kelurahan'],
    ]);
  });

  it('turns doubled quotes into one and keeps line breaks inside quotes', () => {
    expect(parseCsv('a,"say ""halo"", then go","two\r\nlines"\n')).toEqual([
      ['a', 'say "halo", then go', 'two\r\nlines'],
    ]);
  });

  it('keeps empty fields, including a trailing one and an empty quoted one', () => {
    expect(parseCsv('a,,""\nb,c,')).toEqual([
      ['a', '', ''],
      ['b', 'c', ''],
    ]);
  });

  it('reads a last row without a line end and ignores a byte-order mark', () => {
    expect(parseCsv('\uFEFFcode\n11')).toEqual([['code'], ['11']]);
  });

  it('rejects malformed quoting with the line number', () => {
    expect(() => parseCsv('a\n"open')).toThrow(new CsvError('unterminated quoted field', 'a\n"open', 2));
    expect(() => parseCsv('"x"y,z')).toThrow(/after a closing quote \(line 1\)/);
    expect(() => parseCsv('a\nb"c')).toThrow(/quote inside an unquoted field \(line 2\)/);
  });
});

describe('parseCsvRecords', () => {
  it('keys rows by the expected header and skips blank lines', () => {
    expect(parseCsvRecords('code,name\r\n11,Aceh\r\n\r\n', ['code', 'name'])).toEqual([
      { code: '11', name: 'Aceh' },
    ]);
  });

  it('rejects an unexpected header or a row with the wrong number of fields', () => {
    expect(() => parseCsvRecords('kode,nama\n11,Aceh\n', ['code', 'name'], 'provinces.csv')).toThrow(
      'provinces.csv: expected header "code,name", found "kode,nama"',
    );
    expect(() => parseCsvRecords('code,name\n11,Aceh,extra\n', ['code', 'name'], 'provinces.csv')).toThrow(
      'provinces.csv: line 2 has 3 fields, expected 2',
    );
  });
});
