import { ProblemException } from '../http/problem';
import { NATIONAL_SCOPE, type Principal } from './principal';

/**
 * Region scope of a principal. Pure: the directory is passed in, so the rules can be
 * tested against any directory and used outside HTTP.
 *
 * Every role follows one rule — a token region covers itself and every region below it,
 * 'ID' covers the whole country. Village operators differ only in what their tokens may
 * hold (village codes, checked when the token is minted and verified).
 */

/** What scope checks need of the region directory (the ledger's RegionDirectory is one). */
export interface RegionHierarchy {
  isWithin(code: string, ancestorCode: string): boolean;
}

/** True when `regionCode` is, or lies within, one of the principal's regions. */
export function covers(principal: Principal, regionCode: string, regions: RegionHierarchy): boolean {
  return principal.regions.some(
    // 'ID' covers everything, even a code the directory does not know: for a national user
    // an unknown region is a validation error (404/422) for the handler, not a scope refusal.
    (scope) => scope === NATIONAL_SCOPE || regions.isWithin(regionCode, scope),
  );
}

/** Refuses (403 auth.scope) a request about a region the principal's token does not cover. */
export function assertCovers(principal: Principal, regionCode: string, regions: RegionHierarchy): void {
  if (!covers(principal, regionCode, regions)) {
    throw new ProblemException(403, 'auth.scope', 'Wilayah di luar cakupan token', { region: regionCode });
  }
}

/**
 * Region-code prefixes for read queries (`region_code LIKE prefix || '%'` for any prefix):
 * [''] for national scope, otherwise the principal's codes with those already inside
 * another one dropped. An empty result means "no rows", never "no filter" — callers must
 * not skip the condition when the list is empty.
 */
export function scopeFilter(principal: Principal): string[] {
  if (principal.regions.includes(NATIONAL_SCOPE)) return [''];
  // Shortest first, so a code is only compared with the wider codes kept before it.
  const sorted = [...new Set(principal.regions)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const prefixes: string[] = [];
  for (const code of sorted) {
    if (!prefixes.some((prefix) => code.startsWith(prefix))) prefixes.push(code);
  }
  return prefixes;
}
