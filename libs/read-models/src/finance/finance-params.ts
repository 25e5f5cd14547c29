import type { RegionDirectory } from '@ledger/ledger/regions/region-directory';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { regionParam, type ReportQuery } from '../coverage/coverage-params';
import { dateParam, invalid } from '../params';

/** `asOf`: the effective day every finance figure is answered for (default today, WIB). */
export const asOfParam = (query: ReportQuery, today: IsoDate) => dateParam(query.asOf, 'asOf', today);

/** `?region=&year=&asOf=`: the region (default the country) and a calendar year (default this one). */
export function summaryParams(regions: RegionDirectory, query: ReportQuery, today: IsoDate) {
  const region = regionParam(regions, query.region);
  const asOf = asOfParam(query, today);
  let year = Number(today.slice(0, 4));
  if (query.year !== undefined && query.year !== '') {
    if (typeof query.year !== 'string' || !/^\d{4}$/.test(query.year))
      invalid('year', 'isYear', 'year harus tahun empat digit (YYYY)');
    year = Number(query.year);
    if (year < 2000 || year > 2100) invalid('year', 'range', 'year harus antara 2000 dan 2100');
  }
  return { region, year, asOf };
}

/**
 * `?region=` and/or `?payer=` (the payer's name as the program states it) and `asOf`.
 * Without a region the caller's own regions are read.
 */
export function refundableParams(regions: RegionDirectory, query: ReportQuery, today: IsoDate) {
  const region =
    query.region === undefined || query.region === '' ? null : regionParam(regions, query.region);
  let payer: string | null = null;
  if (query.payer !== undefined && query.payer !== '') {
    if (typeof query.payer !== 'string') invalid('payer', 'isString', 'payer harus satu teks');
    if (query.payer.length > 200) invalid('payer', 'maxLength', 'payer paling banyak 200 karakter');
    payer = query.payer;
  }
  return { region, payer, asOf: asOfParam(query, today) };
}
