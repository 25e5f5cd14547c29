import { declaredCharset, TextEncodingScan } from './text-encoding';

function verdict(bytes: Buffer, declared?: string, chunk = bytes.length) {
  const scan = new TextEncodingScan();
  for (let i = 0; i < bytes.length; i += chunk) scan.write(bytes.subarray(i, i + chunk));
  return scan.verdict(declared);
}

describe('TextEncodingScan', () => {
  it('reads valid UTF-8 as UTF-8, also split between chunks inside a character', () => {
    const text = Buffer.from('NIK;Nama\r\n1603;André Smét 😀\r\n', 'utf8');
    expect(verdict(text)).toEqual({ encoding: 'utf-8' });
    expect(verdict(text, undefined, 1)).toEqual({ encoding: 'utf-8' });
  });

  it('reads a file without any valid multi-byte sequence as Windows-1252', () => {
    expect(verdict(Buffer.from('NIK;Nama\r\n1603;André Smét\r\n', 'latin1'))).toEqual({
      encoding: 'windows-1252',
    });
    // 0x92 is Windows-1252's right single quote (Excel's apostrophe).
    expect(verdict(Buffer.from([0x4a, 0x75, 0x6d, 0x92, 0x61, 0x74]))).toEqual({ encoding: 'windows-1252' });
  });

  it('refuses a mix of UTF-8 and single bytes, naming the row and column of the first bad byte', () => {
    const bytes = Buffer.concat([
      Buffer.from('NIK;Nama\r\nSití\r\nAndr', 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from(' Smit\r\n', 'utf8'),
    ]);
    expect(verdict(bytes)).toEqual({ badByte: { row: 3, column: 5 }, expected: 'utf-8' });
    expect(verdict(bytes, undefined, 3)).toEqual({ badByte: { row: 3, column: 5 }, expected: 'utf-8' });
  });

  it('refuses bytes Windows-1252 leaves undefined, and a file declared UTF-8 that is not', () => {
    expect(verdict(Buffer.from([0x41, 0x0a, 0x42, 0x81]))).toEqual({
      badByte: { row: 2, column: 2 },
      expected: 'utf-8',
    });
    expect(verdict(Buffer.from([0x41, 0xe9]), 'utf-8')).toEqual({
      badByte: { row: 1, column: 2 },
      expected: 'utf-8',
    });
    expect(verdict(Buffer.from([0x41, 0x81]), 'windows-1252')).toEqual({
      badByte: { row: 1, column: 2 },
      expected: 'windows-1252',
    });
  });

  it('follows a declared legacy charset even when a byte pair happens to look like UTF-8', () => {
    // 'Ã©' in Windows-1252 is C3 A9, which is also UTF-8 for 'é'; a lone E9 follows.
    const bytes = Buffer.from([0xc3, 0xa9, 0x20, 0xe9]);
    expect(verdict(bytes)).toMatchObject({ expected: 'utf-8' });
    expect(verdict(bytes, 'ISO-8859-1')).toEqual({ encoding: 'windows-1252' });
  });

  it('finds a sequence cut off at the end of a UTF-8 file', () => {
    expect(verdict(Buffer.from([0xc3, 0xa9, 0x41, 0xe2, 0x82]))).toEqual({
      badByte: { row: 1, column: 3 },
      expected: 'utf-8',
    });
  });
});

describe('declaredCharset', () => {
  it('reads the charset parameter of a content type', () => {
    expect(declaredCharset('text/csv; charset=windows-1252')).toBe('windows-1252');
    expect(declaredCharset('text/csv;charset="UTF-8"')).toBe('UTF-8');
    expect(declaredCharset('text/csv')).toBeUndefined();
    expect(declaredCharset(undefined)).toBeUndefined();
  });
});
