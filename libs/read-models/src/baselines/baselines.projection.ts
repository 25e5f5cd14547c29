import type { RecordedEvent } from '@ledger/event-store';
import type { WorkforceBaseline } from '@ledger/ledger/baselines/baseline.events';
import type { RowProjection } from '../runner/projection';

export interface BaselineRow extends Record<string, unknown> {
  id: string;
  region_code: string;
  year: number;
  working_population: number;
  informal_workers: number | null;
  vulnerable_workers: number | null;
  source: string;
  set_by: string;
  set_at: string;
}

export const baselinesProjection: RowProjection<BaselineRow> = {
  kind: 'rows',
  name: 'baselines',
  version: 1,
  handles: ['WorkforceBaselineSet'],
  table: {
    name: 'baselines',
    columns: {
      id: { type: 'text' },
      region_code: { type: 'text' },
      year: { type: 'integer' },
      working_population: { type: 'integer' },
      informal_workers: { type: 'integer', nullable: true },
      vulnerable_workers: { type: 'integer', nullable: true },
      source: { type: 'text' },
      set_by: { type: 'text' },
      set_at: { type: 'text' },
    },
    primaryKey: ['id'],
    indexes: [['region_code', 'year']],
  },
  keyOf: (event) => {
    const d = event.data as WorkforceBaseline;
    return `${d.regionCode}:${d.year}`;
  },
  evolve(_row, recorded: RecordedEvent) {
    const d = recorded.data as WorkforceBaseline;
    return {
      id: `${d.regionCode}:${d.year}`,
      region_code: d.regionCode,
      year: d.year,
      working_population: d.workingPopulation,
      informal_workers: d.informalWorkers,
      vulnerable_workers: d.vulnerableWorkers,
      source: d.source,
      set_by: recorded.metadata.actor?.id ?? 'system',
      set_at: recorded.metadata.occurredAt,
    };
  },
};
