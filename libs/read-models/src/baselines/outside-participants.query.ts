import type { Columns } from '../columns';
import type { ReadQuery } from '../read-schema';
import type { OutsideParticipantsRow } from './outside-participants.projection';

/** A figure of participants outside the ledger, with who set it and when. */
export interface OutsideFigure {
  participants: number;
  asOf: string;
  source: string;
  setBy: string;
  setAt: string;
}

const figureOf = (r: Columns<OutsideParticipantsRow>): OutsideFigure => ({
  participants: Number(r.participants),
  asOf: r.as_of,
  source: r.source,
  setBy: r.set_by,
  setAt: r.set_at,
});

/** Of several settings for one region and day, the one set last is in force. */
const later = (a: Columns<OutsideParticipantsRow>, b: Columns<OutsideParticipantsRow>) =>
  a.as_of !== b.as_of ? a.as_of > b.as_of : Number(a.position) > Number(b.position);

/**
 * Every day's figure of one region, oldest first (the one in force for each day), with how
 * many times that day's figure was set: a correction shows as `settings` > 1.
 */
export async function outsideParticipantsOf(db: ReadQuery, regionCode: string) {
  const rows = await db
    .selectFrom('outside_participants')
    .selectAll()
    .where('region_code', '=', regionCode)
    .orderBy('as_of')
    .orderBy('position')
    .execute();
  const byDay = new Map<string, { row: Columns<OutsideParticipantsRow>; settings: number }>();
  for (const row of rows) byDay.set(row.as_of, { row, settings: (byDay.get(row.as_of)?.settings ?? 0) + 1 });
  return [...byDay.values()].map(({ row, settings }) => ({ ...figureOf(row), settings }));
}

/**
 * The figure in force on `date` for each of the given regions: the one of the latest day on
 * or before `date`, as last set. With `knownAt` (a log position) only the settings recorded
 * at or before it count, so a report as the ledger knew it then reads the figure it held then.
 * A region's figure is its own: a province's is never the sum of its regencies', which BPJS
 * may have counted on other days.
 */
export async function outsideParticipantsFor(
  db: ReadQuery,
  regions: string[],
  date: string,
  knownAt?: number,
): Promise<Map<string, OutsideFigure>> {
  const latest = new Map<string, Columns<OutsideParticipantsRow>>();
  const CHUNK = 500;
  for (let i = 0; i < regions.length; i += CHUNK) {
    let query = db
      .selectFrom('outside_participants')
      .selectAll()
      .where('region_code', 'in', regions.slice(i, i + CHUNK))
      .where('as_of', '<=', date);
    if (knownAt !== undefined) query = query.where('position', '<=', knownAt);
    for (const row of await query.execute()) {
      const held = latest.get(row.region_code);
      if (!held || later(row, held)) latest.set(row.region_code, row);
    }
  }
  return new Map([...latest].map(([code, row]) => [code, figureOf(row)]));
}
