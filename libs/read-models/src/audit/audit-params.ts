import { NATIONAL_SCOPE, isRole, type Principal } from '@ledger/platform/auth/principal';
import { isIsoDate } from '@ledger/ledger/shared/dates';
import { InvalidQuery, type FieldError } from '../params';
import { AUDIT_ACTIONS } from './audit-actions';
import { AUDIT_PAGE_MAX, type AuditFilter } from './audit.query';

export type AuditQuery = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION = /^(ID|\d{2}|\d{4}|\d{6}|\d{10})$/;
const ACTION_CODES = new Set<string>(AUDIT_ACTIONS.map((a) => a.code));

/**
 * The audit trail's filters and page, read from a query string (HTTP) or options (CLI) alike: every
 * bad value is named with its rule, all at once, and nothing is queried.
 */
export function auditQueryOf(
  query: AuditQuery,
  scope: AuditFilter['scope'],
  defaultLimit = 100,
): { filter: AuditFilter; page: { after?: number; limit: number } } {
  const errors: FieldError[] = [];
  const text = (field: string): string | undefined => {
    const value = query[field];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string')
      errors.push({ field, rule: 'isString', message: `${field} hanya boleh diisi sekali` });
    else return value;
    return undefined;
  };
  const filter: AuditFilter = { scope };

  const actor = text('actor');
  if (actor !== undefined) {
    if (actor.length > 200)
      errors.push({ field: 'actor', rule: 'maxLength', message: 'actor paling banyak 200 karakter' });
    else filter.actor = actor;
  }
  const role = text('role');
  if (role !== undefined) {
    if (!isRole(role) && role !== 'system')
      errors.push({ field: 'role', rule: 'isIn', message: 'role tidak dikenal' });
    else filter.role = role;
  }
  const region = text('region');
  if (region !== undefined) {
    if (!REGION.test(region))
      errors.push({
        field: 'region',
        rule: 'isRegionCode',
        message: 'region harus kode wilayah (2, 4, 6 atau 10 digit) atau ID',
      });
    else if (region !== NATIONAL_SCOPE) filter.region = region;
  }
  const program = text('program');
  if (program !== undefined) {
    if (!UUID.test(program))
      errors.push({ field: 'program', rule: 'isUuid', message: 'program harus id program (UUID)' });
    else filter.program = program.toLowerCase();
  }
  const action = text('action');
  if (action !== undefined) {
    const codes = action.split(',').map((c) => c.trim());
    const unknown = codes.filter((c) => !ACTION_CODES.has(c));
    if (unknown.length)
      errors.push({
        field: 'action',
        rule: 'isIn',
        message: `jenis tindakan tidak dikenal: ${unknown.slice(0, 5).join(', ').slice(0, 200)}`,
      });
    else filter.actions = codes;
  }
  const sensitive = text('sensitive');
  if (sensitive !== undefined) {
    if (sensitive !== 'true' && sensitive !== 'false')
      errors.push({ field: 'sensitive', rule: 'isBoolean', message: 'sensitive harus true atau false' });
    else filter.sensitive = sensitive === 'true';
  }
  for (const field of ['from', 'to'] as const) {
    const value = text(field);
    if (value === undefined) continue;
    if (!isIsoDate(value))
      errors.push({ field, rule: 'isCalendarDate', message: `${field} harus tanggal YYYY-MM-DD yang valid` });
    else filter[field] = value;
  }
  if (filter.from && filter.to && filter.from > filter.to)
    errors.push({ field: 'to', rule: 'notBeforeFrom', message: 'to tidak boleh sebelum from' });
  const int = (field: string, min: number, max: number): number | undefined => {
    const value = query[field];
    if (value === undefined || value === '') return undefined;
    if (
      typeof value !== 'string' ||
      !/^\d{1,16}$/.test(value) ||
      Number(value) < min ||
      Number(value) > max
    ) {
      errors.push({ field, rule: 'isInt', message: `${field} harus bilangan bulat ${min}–${max}` });
      return undefined;
    }
    return Number(value);
  };
  const after = int('after', 0, Number.MAX_SAFE_INTEGER);
  const limit = int('limit', 1, AUDIT_PAGE_MAX) ?? defaultLimit;
  if (errors.length) throw invalid(errors);
  return { filter, page: { after, limit } };
}

export function summaryKindOf(query: AuditQuery): 'actor' | 'region' {
  const by = query.by ?? 'actor';
  if (by === 'actor' || by === 'region') return by;
  throw invalid([{ field: 'by', rule: 'isIn', message: 'by harus actor atau region' }]);
}

/** What a token may see of the trail: its regions, or everything for a national one. */
export function auditScopeOf(principal: Principal): AuditFilter['scope'] {
  return principal.regions.includes(NATIONAL_SCOPE) ? 'all' : principal.regions;
}

function invalid(errors: FieldError[]) {
  return new InvalidQuery(errors);
}
