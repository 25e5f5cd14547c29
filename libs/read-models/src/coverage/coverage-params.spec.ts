import { regions } from '@ledger/ledger/regions/region-directory';
import { InvalidQuery } from '../params';
import { coverageParams, rankingsParams, seriesParams } from './coverage-params';

const directory = regions();
const TODAY = '2026-06-15';

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof InvalidQuery) return error.errors;
    throw error;
  }
  throw new Error('accepted');
};

describe('coverage report parameters', () => {
  it('no region is the country, no date today', () => {
    expect(coverageParams(directory, {}, TODAY)).toEqual({
      region: { code: 'ID', name: 'Indonesia', level: 'national' },
      date: TODAY,
    });
    expect(coverageParams(directory, { region: '1603', date: '2026-01-31' }, TODAY)).toMatchObject({
      region: { code: '1603', level: 'regency' },
      date: '2026-01-31',
    });
  });

  it('an unknown region and an impossible date are named with their rule', () => {
    expect(refusal(() => coverageParams(directory, { region: '9999' }, TODAY))).toEqual([
      { field: 'region', rule: 'region.unknown', message: 'region: kode wilayah tidak terdaftar' },
    ]);
    expect(refusal(() => coverageParams(directory, { date: '2026-02-30' }, TODAY))).toEqual([
      { field: 'date', rule: 'isCalendarDate', message: 'date harus tanggal YYYY-MM-DD yang valid' },
    ]);
  });

  it('a series needs both ends in order and at most 120 month ends', () => {
    expect(seriesParams(directory, { from: '2026-01-15', to: '2026-03-10' }).months).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-10',
    ]);
    expect(refusal(() => seriesParams(directory, { to: '2026-03-10' }))[0]).toMatchObject({
      rule: 'required',
    });
    expect(refusal(() => seriesParams(directory, { from: '2026-03-10', to: '2026-01-01' }))[0]).toMatchObject(
      {
        rule: 'order',
      },
    );
    expect(refusal(() => seriesParams(directory, { from: '2000-01-01', to: '2026-01-01' }))[0]).toMatchObject(
      {
        rule: 'range',
      },
    );
  });

  it('rankings: a province or a regency, not both, each of its own level', () => {
    expect(rankingsParams(directory, { regency: '1603' }, TODAY)).toMatchObject({
      scope: { code: '1603' },
      villages: true,
    });
    expect(rankingsParams(directory, {}, TODAY)).toMatchObject({ scope: { code: 'ID' }, villages: false });
    expect(
      refusal(() => rankingsParams(directory, { province: '16', regency: '1603' }, TODAY))[0],
    ).toMatchObject({
      rule: 'exclusive',
    });
    expect(refusal(() => rankingsParams(directory, { province: '1603' }, TODAY))[0]).toMatchObject({
      field: 'province',
      rule: 'level',
    });
  });
});
