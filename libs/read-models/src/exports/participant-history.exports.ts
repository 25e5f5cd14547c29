import type { HistoryClaim } from '../participant-history/history-claims';
import type { HistoryEvent, ParticipantHistory } from '../participant-history/participant-history';
import type { ContributionMonth } from '../finance/contribution-months/contribution-months.query';
import { contributionMonthsTable } from './finance.exports';
import type { StreamedTable } from './spreadsheet';

/**
 * The person's events in log order, with `asOf` their coverage on that day, and their
 * contribution months when given.
 */
export function historyTables(
  events: HistoryEvent[],
  asOf: ParticipantHistory['asOf'],
  contributions?: { asOf: string; months: ContributionMonth[] },
  claims: HistoryClaim[] = [],
): StreamedTable[] {
  return [
    {
      name: 'Riwayat',
      columns: [
        { key: 'position', header: 'Posisi' },
        { key: 'occurredAt', header: 'Waktu' },
        { key: 'type', header: 'Peristiwa' },
        { key: 'actorId', header: 'Pelaku' },
        { key: 'actorRole', header: 'Peran', format: 'code' },
        { key: 'programId', header: 'Program' },
        { key: 'enrollmentId', header: 'Pendaftaran' },
        { key: 'importId', header: 'Impor' },
        { key: 'correlationId', header: 'Korelasi' },
        { key: 'details', header: 'Rincian' },
      ],
      // Each line made as it is written: a long history is not copied whole once more.
      rows: (function* () {
        for (const e of events) {
          yield { ...e, actorId: e.actor.id, actorRole: e.actor.role, details: JSON.stringify(e.details) };
        }
      })(),
    },
    ...(asOf
      ? [
          {
            name: `Keadaan ${asOf.date}`,
            columns: [
              { key: 'programName', header: 'Program' },
              { key: 'status', header: 'Status', format: 'code' as const },
              { key: 'from', header: 'Mulai' },
              { key: 'to', header: 'Sampai' },
            ],
            rows: asOf.enrollments.map((e) => ({
              ...e,
              from: e.coverage?.from ?? null,
              to: e.coverage?.to ?? null,
            })),
          },
        ]
      : []),
    ...(contributions ? [contributionMonthsTable(contributions.months, contributions.asOf)] : []),
    ...(claims.length > 0
      ? [
          {
            name: 'Klaim',
            columns: [
              { key: 'claimId', header: 'Klaim' },
              { key: 'kind', header: 'Jenis' },
              { key: 'benefit', header: 'Manfaat', format: 'code' as const },
              { key: 'eventDate', header: 'Tanggal kejadian' },
              { key: 'status', header: 'Status klaim', format: 'code' as const },
              { key: 'type', header: 'Langkah' },
              { key: 'on', header: 'Tanggal langkah' },
              { key: 'actorId', header: 'Pelaku' },
              { key: 'actorRole', header: 'Peran', format: 'code' as const },
              { key: 'amount', header: 'Jumlah', format: 'rupiah' as const },
              { key: 'details', header: 'Rincian' },
            ],
            // One line per step, its claim's facts repeated: a flat table reads in a spreadsheet.
            rows: claims.flatMap((c) =>
              c.steps.map((s) => ({
                claimId: c.claimId,
                kind: c.kind,
                benefit: c.benefit,
                eventDate: c.eventDate,
                status: c.status,
                type: s.type,
                on: s.on,
                actorId: s.actor.id,
                actorRole: s.actor.role,
                amount: typeof s.details.amount === 'number' ? s.details.amount : null,
                details: JSON.stringify(s.details),
              })),
            ),
          },
        ]
      : []),
  ];
}
