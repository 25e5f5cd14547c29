import { invalid } from '../params';
import { monthsOf } from './reconciliation.query';

export interface ReconciliationParams {
  programId: string;
  payer: string | null;
  year: number;
  months: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?program=&payer=&month=YYYY-MM | year=YYYY`: exactly one of month and year. */
export function reconciliationParams(query: Record<string, unknown>): ReconciliationParams {
  const { program, payer, month, year } = query;
  if (typeof program !== 'string' || program === '') invalid('program', 'required', 'program wajib diisi');
  if (!UUID.test(program)) invalid('program', 'isUuid', 'program harus UUID');
  let payerName: string | null = null;
  if (payer !== undefined && payer !== '') {
    if (typeof payer !== 'string') invalid('payer', 'isString', 'payer harus satu teks');
    if (payer.length > 200) invalid('payer', 'maxLength', 'payer paling banyak 200 karakter');
    payerName = payer;
  }
  const hasMonth = month !== undefined && month !== '';
  const hasYear = year !== undefined && year !== '';
  if (hasMonth === hasYear)
    invalid('month', 'monthOrYear', 'isi salah satu: month (YYYY-MM) atau year (YYYY)');
  if (hasMonth) {
    if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      invalid('month', 'isYearMonth', 'month harus bulan YYYY-MM');
    return {
      programId: program.toLowerCase(),
      payer: payerName,
      year: Number(month.slice(0, 4)),
      months: [month],
    };
  }
  if (typeof year !== 'string' || !/^\d{4}$/.test(year))
    invalid('year', 'isYear', 'year harus tahun empat digit (YYYY)');
  const y = Number(year);
  if (y < 2000 || y > 2100) invalid('year', 'range', 'year harus antara 2000 dan 2100');
  return { programId: program.toLowerCase(), payer: payerName, year: y, months: monthsOf(y) };
}
