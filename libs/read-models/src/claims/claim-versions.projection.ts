import type { RecordedEvent } from '@ledger/event-store';
import type { ClaimEvent } from '@ledger/ledger/claims/claim.events';
import type { CustomProjection, TableSpec } from '../runner/projection';
import { CHUNK } from '../runner/dialect-writes';
import { fromDbRow, toDbRow } from '../runner/tables';
import { claimsProjection, type ClaimRow } from './claims.projection';

/**
 * Every version the claims table ever had, with its two times: `effective_on`, the day from
 * which it stands — the latest effective day among the steps that made it (the report day of
 * the filing, the approval day, the payment day…) — and `known_from` / `known_to`, the log
 * positions it was the current row between (known_to null while it is). A claim's steps take
 * effect in the order they were recorded, each on its day but never before the steps before
 * it (a payment dated before its approval day counts from the approval day), so effective_on
 * only grows along a claim's versions. "The claims as they stood on day D, as the ledger knew
 * them at P" are, per claim, its last version recorded by P with effective_on ≤ D; the claims
 * report with `asOf` or `knownAt` reads them instead of the current table.
 *
 * The versions are made by the claims projection's own `evolve`, so a version is exactly a
 * row the claims table held.
 */
export interface ClaimVersionRow extends ClaimRow {
  effective_on: string;
  known_from: number;
  known_to: number | null;
}

export const claimVersionsTable: TableSpec = {
  name: 'claim_versions',
  columns: {
    ...claimsProjection.table.columns,
    effective_on: { type: 'text' },
    known_from: { type: 'integer' },
    known_to: { type: 'integer', nullable: true },
  },
  primaryKey: ['claim_id', 'known_from'],
  clustered: false,
  // A region's claims are found by their village, as in the claims table.
  indexes: [['village_code'], ['program_id']],
};

/** The effective day of a claim's step: what `asOf` compares with. */
export function stepDayOf(event: ClaimEvent): string {
  switch (event.type) {
    case 'ClaimFiled':
      return event.data.reportedOn;
    case 'ClaimDocumentsCompleted':
      return event.data.completedOn;
    case 'ClaimSubmitted':
      return event.data.submittedOn;
    case 'ClaimApproved':
      return event.data.approvedOn;
    case 'ClaimRejected':
      return event.data.rejectedOn;
    case 'ClaimPaid':
      return event.data.paidOn;
    case 'ClaimWithdrawn':
      return event.data.withdrawnOn;
    case 'ClaimReopened':
      return event.data.reopenedOn;
  }
}

/** This projection's own logic; the claims projection's version is part of its version. */
const OWN_VERSION = 1;

export const claimVersionsProjection: CustomProjection = {
  kind: 'custom',
  name: 'claim_versions',
  version: OWN_VERSION * 1000 + claimsProjection.version,
  handles: claimsProjection.handles,
  tables: [claimVersionsTable],
  async apply(events: RecordedEvent[], trx, table, writes) {
    const physical = table(claimVersionsTable.name);
    const keys = events.map((e) => claimsProjection.keyOf(e));
    const wanted = [...new Set(keys.filter((k): k is string => k !== null))];
    const current = new Map<string, ClaimVersionRow | null>(wanted.map((k) => [k, null]));
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const found = await trx
        .selectFrom(physical)
        .selectAll()
        .where('claim_id', 'in', wanted.slice(i, i + CHUNK))
        .where('known_to', 'is', null)
        .execute();
      for (const stored of found) {
        const row = fromDbRow(claimVersionsTable, stored) as unknown as ClaimVersionRow;
        current.set(row.claim_id, { ...row, known_from: Number(row.known_from), known_to: null });
      }
    }
    const changed = new Map<string, ClaimVersionRow>();
    events.forEach((event, i) => {
      const key = keys[i];
      if (key === null) return;
      const before = current.get(key) ?? null;
      const previous = before && withoutVersion(before);
      const next = claimsProjection.evolve(previous, event);
      if (!next) return;
      if (before) changed.set(`${key} ${before.known_from}`, { ...before, known_to: event.position });
      const day = stepDayOf(event as unknown as ClaimEvent);
      const version: ClaimVersionRow = {
        ...next,
        effective_on: before && before.effective_on > day ? before.effective_on : day,
        known_from: event.position,
        known_to: null,
      };
      changed.set(`${key} ${event.position}`, version);
      current.set(key, version);
    });
    await writes.upsert(
      physical,
      claimVersionsTable,
      [...changed.values()].map((row) => toDbRow(claimVersionsTable, row)),
    );
  },
};

function withoutVersion(row: ClaimVersionRow): ClaimRow {
  const { effective_on: _on, known_from: _from, known_to: _to, ...current } = row;
  return current;
}
