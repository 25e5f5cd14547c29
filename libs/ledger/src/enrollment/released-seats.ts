import type { IsoDate } from '../shared/dates';
import { RuleViolation } from '../shared/rule-violation';

/**
 * The last days of the coverages whose seats a deregistration released, day → how many,
 * in ascending order of day. A released seat is free for a coverage that starts after that
 * day only: before it, the ended coverage still ran and still counts against the quota. Days
 * before the program's start are pruned (no coverage of the program starts before it), so
 * the map stays bounded by the days of the program's period.
 */
export type ReleasedCoverageEnds = Record<IsoDate, number>;

/** A program's seats as the last seats event tells them. */
export interface Seats {
  inUse: number;
  released: ReleasedCoverageEnds;
}

/** The seats an event's data tells; events written before the summary existed count none. */
export function seatsOf(data: { inUse: number; released?: ReleasedCoverageEnds } | undefined): Seats {
  return { inUse: data?.inUse ?? 0, released: data?.released ?? {} };
}

/** The summary as a seats event carries it: absent while empty, so most events stay as small as before. */
export function releasedField(released: ReleasedCoverageEnds): { released?: ReleasedCoverageEnds } {
  return Object.keys(released).length > 0 ? { released } : {};
}

/**
 * The summary after `delta` seats released by coverages that ran until `lastDay` (a negative
 * delta takes them back, for a last day corrected), sorted and pruned of days before `programStart`.
 */
export function withReleased(
  released: ReleasedCoverageEnds,
  lastDay: IsoDate,
  delta: number,
  programStart: IsoDate,
): ReleasedCoverageEnds {
  const counts = new Map(Object.entries(released));
  const count = (counts.get(lastDay) ?? 0) + delta;
  if (count > 0) counts.set(lastDay, count);
  else counts.delete(lastDay);
  const next: ReleasedCoverageEnds = {};
  for (const day of [...counts.keys()].sort()) {
    if (day >= programStart) next[day] = counts.get(day)!;
  }
  return next;
}

/** The released seats whose coverage ran on `start` or later: they still count for a coverage starting on `start`. */
export function releasedRunningOn(
  released: ReleasedCoverageEnds,
  start: IsoDate,
): { count: number; lastDays: IsoDate[] } {
  let count = 0;
  const lastDays: IsoDate[] = [];
  for (const [day, n] of Object.entries(released)) {
    if (day < start) continue;
    count += n;
    lastDays.push(day);
  }
  return { count, lastDays };
}

/** The refusal's message: which days the released coverages still hold. */
export function quotaOverTimeMessage(
  quota: number,
  start: IsoDate,
  running: { count: number; lastDays: IsoDate[] },
): string {
  const until = running.lastDays[running.lastDays.length - 1];
  return (
    `Kuota program (${quota}) sudah penuh pada hari-hari perlindungan mulai ${start}: ` +
    `${running.count} kursi yang dilepas masih terpakai oleh kepesertaan yang berakhir sampai ${until}`
  );
}

/**
 * The quota on the days a coverage that starts on `start` runs, for a coverage whose seat is
 * already counted in `seats.inUse` (an approval, a correction): the seats in use and the
 * released seats whose coverage ran on `start` or later may not exceed the quota.
 * Conservative: a released coverage counts whatever day it started.
 */
export function checkQuotaOverTime(quota: number, seats: Seats, start: IsoDate): void {
  const running = releasedRunningOn(seats.released, start);
  if (running.count === 0 || seats.inUse + running.count <= quota) return;
  throw new RuleViolation('enrollment.quota', quotaOverTimeMessage(quota, start, running), 'conflict', {
    quota,
    seatsInUse: seats.inUse,
    coverageFrom: start,
    releasedStillRunning: running.count,
    releasedLastDays: running.lastDays,
  });
}
