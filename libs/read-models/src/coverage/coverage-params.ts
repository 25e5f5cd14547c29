import type { RegionDirectory, RegionLevel } from '@ledger/ledger/regions/region-directory';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { dateParam, invalid } from '../params';
import { monthEnds } from '../calendar';

/** A region a report is asked for: the country (`ID`) or a region of the directory. */
export interface ReportRegion {
  code: string;
  name: string;
  level: RegionLevel | 'national';
}

/** Absent, empty or `ID` is the country; anything else must be a code the directory knows. */
export function regionParam(regions: RegionDirectory, code: unknown, field = 'region'): ReportRegion {
  const value = code === undefined || code === '' ? 'ID' : code;
  if (value === 'ID') return { code: 'ID', name: 'Indonesia', level: 'national' };
  const region =
    typeof value === 'string' && /^(\d{2}|\d{4}|\d{6}|\d{10})$/.test(value) ? regions.get(value) : undefined;
  if (!region) invalid(field, 'region.unknown', `${field}: kode wilayah tidak terdaftar`);
  return { code: region.code, name: region.name, level: region.level };
}

export type ReportQuery = Record<string, unknown>;

/** `?region=&date=`: the region and the day (default `today`). */
export function coverageParams(regions: RegionDirectory, query: ReportQuery, today: IsoDate) {
  const region = regionParam(regions, query.region);
  return { region, date: dateParam(query.date, 'date', today) };
}

/** At most ten years of month ends. */
const MAX_MONTHS = 120;

/** `?region=&from=&to=`: the region and the month ends from `from` to `to`. */
export function seriesParams(regions: RegionDirectory, query: ReportQuery) {
  const region = regionParam(regions, query.region);
  const from = dateParam(query.from, 'from');
  const to = dateParam(query.to, 'to');
  if (from > to) invalid('to', 'order', 'to harus sesudah from');
  const months = monthEnds(from, to);
  if (months.length > MAX_MONTHS) invalid('to', 'range', `paling banyak ${MAX_MONTHS} bulan`);
  return { region, from, to, months };
}

/**
 * `?province=` ranks its regencies and cities, `?regency=` its villages, neither the
 * provinces; `date` defaults to `today`.
 */
export function rankingsParams(regions: RegionDirectory, query: ReportQuery, today: IsoDate) {
  const { province, regency } = query;
  if (province !== undefined && regency !== undefined)
    invalid('regency', 'exclusive', 'pilih province atau regency, tidak keduanya');
  let scope = regionParam(regions, undefined);
  if (province !== undefined) {
    scope = regionParam(regions, province, 'province');
    if (scope.level !== 'province') invalid('province', 'level', 'province harus kode provinsi (2 digit)');
  }
  if (regency !== undefined) {
    scope = regionParam(regions, regency, 'regency');
    if (scope.level !== 'regency') invalid('regency', 'level', 'regency harus kode kabupaten/kota (4 digit)');
  }
  return { scope, villages: regency !== undefined, date: dateParam(query.date, 'date', today) };
}
