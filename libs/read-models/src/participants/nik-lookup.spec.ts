import { regions } from '@ledger/ledger/regions/region-directory';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { lookupNik } from './nik-lookup';

const TODAY = '2026-12-01';
const lookup = (typed: string) => lookupNik(typed, regions(), TODAY);

/** The refusal's reasons, or 'accepted'. */
function refusal(typed: string) {
  try {
    lookup(typed);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof RuleViolation)) throw error;
    return { rule: error.rule, kind: error.kind, reasons: error.reasons };
  }
}

describe('lookupNik: the NIK a lookup hashes', () => {
  it('is the 16 digits as a proposal stores them, however the operator grouped them', () => {
    for (const typed of [
      '1603011505900001',
      ' 1603 0115 0590 0001 ',
      '16.03.01.150590.0001',
      '1603\t011505900001',
    ]) {
      expect(lookup(typed)).toBe('1603011505900001');
    }
  });

  it('refuses what a proposal refuses, naming the field and each rule, never the NIK', () => {
    expect(refusal('16030115')).toEqual({
      rule: 'nik.length',
      kind: 'unprocessable',
      reasons: [{ field: 'nik', rule: 'nik.length', message: 'NIK harus 16 digit angka, bukan 8 karakter' }],
    });
    expect(refusal('16030115059000x1')).toMatchObject({ rule: 'nik.digits' });
    expect(refusal('9903011505900001')).toMatchObject({ rule: 'nik.province' });
    expect(refusal('1603013505900001')).toMatchObject({ rule: 'nik.date' });
    expect(refusal('1603011505900000')).toMatchObject({ rule: 'nik.serial' });
    // Two broken rules: both are named.
    const both = refusal('9903011505900000');
    expect(both).toMatchObject({ reasons: [{ rule: 'nik.province' }, { rule: 'nik.serial' }] });
    expect(JSON.stringify(both)).not.toContain('9903011505900000');
  });

  it('takes an unknown district, as a proposal does (the NIK keeps the district it was issued in)', () => {
    expect(lookup('1603991505900001')).toBe('1603991505900001');
  });
});
