import { addDays, type IsoDate } from './dates';
import { RuleViolation } from './rule-violation';

/**
 * Backfill: recording a fact whose effective date lies further in the past than the
 * program's tolerance (a regency bringing last year's program, a death reported late, a
 * corrected coverage start). It is allowed, but only as a deliberate act: with a reason, by
 * a role that may do it, and marked in the event so that every report can show it. A fact
 * in the past is never written by rewriting an event: it is a new event dated in the past.
 */
export type BackfillReason = 'migration' | 'late_report' | 'correction';
export const BACKFILL_REASONS: readonly BackfillReason[] = ['migration', 'late_report', 'correction'];

/** How far back (days before today) a fact may take effect without being a backfill. */
export const DEFAULT_BACKFILL_TOLERANCE_DAYS = 7;

/** The marker a backfilled event carries in its data (`backfill`), absent otherwise. */
export interface BackfillMarker {
  reason: BackfillReason;
  note: string | null;
}

/** What the caller said about a backfill; absent when they said nothing. */
export type BackfillRequest = BackfillMarker | undefined;

/** Roles that may record a backfill (within the program's owner region, checked by the handlers). */
export const BACKFILL_ROLES: readonly string[] = ['program_admin'];

/**
 * Money is recorded by finance: a payment made last month (the SP2D's day), or last year's
 * invoices of a program brought into the ledger, is theirs to record late, with a reason, as
 * it is the program admin's.
 */
export const MONEY_BACKFILL_ROLES: readonly string[] = ['program_admin', 'finance'];

export interface BackfillQuestion {
  /** The effective dates of the command (coverage start, decision day, last day…). */
  effectiveDates: (IsoDate | null | undefined)[];
  /** The recording day (WIB): the only use a decision makes of today. */
  today: IsoDate;
  toleranceDays: number;
  request: BackfillRequest;
  /** The caller's role (from the command's actor). */
  role: string;
  /** Who may record this kind of fact late (default `BACKFILL_ROLES`). */
  roles?: readonly string[];
}

/**
 * Decides, for every command alike, whether it is a backfill and whether it may be one:
 * undefined when no effective date lies before today − tolerance (a reason given anyway is
 * not recorded), the marker when it does and the caller may; otherwise the rule it breaks.
 */
export function decideBackfill(question: BackfillQuestion): BackfillMarker | undefined {
  const earliest = question.effectiveDates
    .filter((d): d is IsoDate => typeof d === 'string')
    .reduce<IsoDate | null>((min, d) => (min === null || d < min ? d : min), null);
  const limit = addDays(question.today, -question.toleranceDays);
  if (earliest === null || earliest >= limit) return undefined;
  const roles = question.roles ?? BACKFILL_ROLES;
  if (!roles.includes(question.role)) {
    throw new RuleViolation(
      'backfill.forbidden',
      `Pencatatan mundur (tanggal berlaku ${earliest}, sebelum ${limit}) hanya boleh oleh ` +
        (roles.includes('finance') ? 'admin program atau petugas keuangan' : 'admin program'),
      'forbidden',
      { effectiveDate: earliest, toleranceFrom: limit },
    );
  }
  if (!question.request) {
    throw new RuleViolation(
      'backfill.reasonRequired',
      `Tanggal berlaku ${earliest} lebih dari ${question.toleranceDays} hari sebelum hari ini: ` +
        'pencatatan mundur wajib menyebut alasan (migration, late_report, correction)',
      'unprocessable',
      { effectiveDate: earliest, toleranceFrom: limit },
    );
  }
  return { reason: question.request.reason, note: question.request.note ?? null };
}

/** The event data's part for a backfill: the marker, or nothing at all. */
export const backfillField = (marker: BackfillMarker | undefined) => (marker ? { backfill: marker } : {});

/** Refuses an effective day after the recording day: a decision cannot take effect before it is taken. */
export function checkNotFuture(field: string, day: IsoDate, today: IsoDate): void {
  if (day > today) {
    const rule = `${field}.future`;
    const message = `${field} (${day}) tidak boleh setelah hari ini (${today})`;
    // Named in `errors` too, as the validation pipe names a field.
    throw new RuleViolation(rule, message, 'unprocessable', { field }, [{ field, rule, message }]);
  }
}
