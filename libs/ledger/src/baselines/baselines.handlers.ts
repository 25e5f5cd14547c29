import { assertScope, execute, metadata, type CommandContext, type LedgerDeps } from '../shared/command.deps';
import { RuleViolation } from '../shared/rule-violation';
import { streams } from '../shared/streams';
import type { WorkforceBaseline } from './baseline.events';

export async function setBaseline(deps: LedgerDeps, ctx: CommandContext, baseline: WorkforceBaseline) {
  if (!deps.regions.has(baseline.regionCode)) {
    throw new RuleViolation(
      'region.unknown',
      `Kode wilayah ${baseline.regionCode} tidak terdaftar`,
      'not_found',
    );
  }
  assertScope(ctx, baseline.regionCode);
  const { workingPopulation, informalWorkers, vulnerableWorkers } = baseline;
  if (informalWorkers !== null && informalWorkers > workingPopulation) {
    throw new RuleViolation('baseline.informal', 'Pekerja informal tidak boleh melebihi penduduk bekerja');
  }
  if (vulnerableWorkers !== null && vulnerableWorkers > (informalWorkers ?? workingPopulation)) {
    throw new RuleViolation(
      'baseline.vulnerable',
      'Pekerja rentan tidak boleh melebihi pekerja informal / penduduk bekerja',
    );
  }
  return execute(deps, ctx, async () => ({
    appends: [
      {
        streamId: streams.baseline(baseline.regionCode, baseline.year),
        expected: 'any',
        events: [{ type: 'WorkforceBaselineSet', data: baseline, metadata: metadata(ctx) }],
      },
    ],
    result: { regionCode: baseline.regionCode, year: baseline.year },
  }));
}
