import { spreadsheetCell } from './spreadsheet-cell';

describe('spreadsheetCell', () => {
  it.each([
    ['=HYPERLINK("http://contoh.id","klik")'],
    ['+62812'],
    ['-2+3'],
    ['@SUM(A1)'],
    ['\t=1+1'],
    ['\r=1+1'],
    ['＝1+1'],
  ])('makes %j text with a leading apostrophe', (value) => {
    expect(spreadsheetCell(value)).toBe(`'${value}`);
  });

  it('leaves ordinary text, numbers, dates and empty cells as they are', () => {
    const date = new Date('2026-01-01T00:00:00Z');
    expect(spreadsheetCell('Siti Aminah')).toBe('Siti Aminah');
    expect(spreadsheetCell('1603**********01')).toBe('1603**********01');
    expect(spreadsheetCell(-5)).toBe(-5);
    expect(spreadsheetCell(date)).toBe(date);
    expect(spreadsheetCell('')).toBe('');
    expect(spreadsheetCell(null)).toBeNull();
  });
});
