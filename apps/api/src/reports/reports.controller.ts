import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, scopeFilter, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import { coverageParams, rankingsParams, seriesParams } from '@ledger/read-models/coverage/coverage-params';
import {
  coverageRankings,
  coverageReport,
  coverageSeries,
} from '@ledger/read-models/coverage/coverage.query';
import { programSummary } from '@ledger/read-models/enrollments/enrollments.query';
import { programKnownAt } from '@ledger/read-models/enrollments/program-known-at';
import {
  coverageTables,
  programSummaryTables,
  rankingTables,
  seriesTables,
} from '@ledger/read-models/exports/coverage.exports';
import { knownBuckets } from '@ledger/read-models/coverage/coverage-known.projection';
import { coverageKnownAt, type KnownCoverage } from '@ledger/read-models/coverage/coverage-known.query';
import { dateParam } from '@ledger/read-models/params';
import { loadPrograms } from '@ledger/read-models/programs/programs.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KNOWN_AT_QUERY, knownAtQuery } from '../shared/known-at-query';
import { Ledger } from '../shared/ledger.providers';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';
import type { ReportAbout } from '@ledger/read-models/exports/report-table';

const COVERAGE_MODELS = ['coverage', 'programs', 'baselines', 'outside_participants'];
/** What a coverage answer as known at a position sums: the buckets instead of the plain deltas. */
const KNOWN_COVERAGE_MODELS = ['coverage_known', 'programs', 'baselines', 'outside_participants'];

const today = () => todayInIndonesia(new Date());

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api')
export class ReportsController {
  constructor(private readonly ledger: Ledger) {}

  /**
   * Coverage as known at `knownAt` (undefined without it), once its read models reached the
   * position. The buckets follow this process's event store, as its projections' do.
   */
  private async knownCoverage(value: string | undefined): Promise<KnownCoverage | undefined> {
    const position = await knownAtQuery(this.ledger, value, KNOWN_COVERAGE_MODELS);
    if (position === undefined) return undefined;
    const { store } = this.ledger.runtime;
    return await coverageKnownAt(this.ledger.read, store, position, knownBuckets(store.kind));
  }

  /**
   * The title block of a coverage export: its facts, then as of which log position it was
   * read — the `knownAt` asked for, or where its read models stood.
   */
  private async about(title: string, facts: ReportAbout['facts'], known: KnownCoverage | undefined) {
    const position = known ? known.position : await this.ledger.readPosition(COVERAGE_MODELS);
    return {
      title,
      facts: [...facts, { label: known ? 'Menurut catatan per posisi log' : 'Posisi log', value: position }],
    };
  }

  @Get('coverage')
  @ApiOperation({
    summary:
      'Active participants on a date in a region and the regions one level below, with breakdowns and coverage %',
  })
  @ApiQuery({ name: 'region', required: false, description: 'Kode wilayah; absent or ID for national' })
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD, default today (WIB)' })
  @ApiQuery(KNOWN_AT_QUERY)
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  async coverage(
    @Query('region') regionCode: string | undefined,
    @Query('date') dateValue: string | undefined,
    @Query('knownAt') knownAtValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { region, date } = parsed(() =>
      coverageParams(this.ledger.regions, { region: regionCode, date: dateValue }, today()),
    );
    this.ledger.assertCovers(principal, region.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);
    const known = await this.knownCoverage(knownAtValue);
    const report = await coverageReport(this.ledger.read, this.ledger.regions, region, date, known);
    return sendReport(
      request,
      reply,
      echoKnownAt(report, known),
      coverageTables(report),
      `cakupan-${region.code}-${date}${knownSuffix(known)}`,
      await this.about('Cakupan kepesertaan', [regionFact(region), { label: 'Tanggal', value: date }], known),
    );
  }

  @Get('coverage/series')
  @ApiOperation({ summary: 'Month-end series of active participants and coverage % in a region' })
  @ApiQuery(KNOWN_AT_QUERY)
  async series(
    @Query('region') regionCode: string | undefined,
    @Query('from') fromValue: string | undefined,
    @Query('to') toValue: string | undefined,
    @Query('knownAt') knownAtValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() =>
      seriesParams(this.ledger.regions, { region: regionCode, from: fromValue, to: toValue }),
    );
    const { region, from, to } = params;
    this.ledger.assertCovers(principal, region.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);
    const known = await this.knownCoverage(knownAtValue);
    const series = await coverageSeries(this.ledger.read, params, known);
    return sendReport(
      request,
      reply,
      echoKnownAt(series, known),
      seriesTables(series),
      `deret-cakupan-${region.code}-${from}-${to}${knownSuffix(known)}`,
      await this.about(
        'Deret bulanan cakupan kepesertaan',
        [regionFact(region), { label: 'Periode', value: `${from} s.d. ${to}` }],
        known,
      ),
    );
  }

  @Get('rankings')
  @ApiOperation({
    summary:
      'Ranks by coverage %: the regencies/cities of a province (?province=), the villages of a regency (?regency=), or the provinces',
  })
  @ApiQuery(KNOWN_AT_QUERY)
  async rankings(
    @Query('province') province: string | undefined,
    @Query('regency') regency: string | undefined,
    @Query('date') dateValue: string | undefined,
    @Query('knownAt') knownAtValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const params = parsed(() =>
      rankingsParams(this.ledger.regions, { province, regency, date: dateValue }, today()),
    );
    const { scope, date } = params;
    this.ledger.assertCovers(principal, scope.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);
    const known = await this.knownCoverage(knownAtValue);
    const rankings = await coverageRankings(this.ledger.read, this.ledger.regions, params, known);
    return sendReport(
      request,
      reply,
      echoKnownAt(rankings, known),
      rankingTables(rankings),
      `peringkat-${scope.code}-${date}${knownSuffix(known)}`,
      await this.about(
        'Peringkat cakupan kepesertaan',
        [regionFact(scope), { label: 'Tanggal', value: date }],
        known,
      ),
    );
  }

  @Get('programs/:id/summary')
  @ApiOperation({
    summary:
      'A program on a date: proposed, approved, rejected, active and ended counts, quota use, deregistrations by reason, monthly liability',
    description:
      'Each enrollment counts by the effective dates its events carry, as the coverage report does: active on date when ' +
      'its coverage runs that day (coverageFrom ≤ date ≤ min(last day, program end)), whenever the approval was recorded. ' +
      'With knownAt, the enrollments and the program terms as the ledger knew them then; the answer echoes the log position.',
  })
  @ApiQuery({
    name: 'date',
    required: false,
    description: 'YYYY-MM-DD, the effective date; default today (WIB)',
  })
  @ApiQuery(KNOWN_AT_QUERY)
  @ApiQuery({ name: 'consistentWith', required: false })
  async programSummary(
    @Param('id', uuidParam()) id: string,
    @Query('date') dateValue: string | undefined,
    @Query('knownAt') knownAtValue: unknown,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const date = parsed(() => dateParam(dateValue, 'date', today()));
    await this.ledger.consistent(consistentWith, ['programs', 'enrollments']);
    const knownAt = await knownAtQuery(this.ledger, knownAtValue, ['enrollment_versions']);
    const program =
      knownAt === undefined
        ? (await loadPrograms(this.ledger.read)).get(id)
        : await programKnownAt(this.ledger.deps.store, id, knownAt);
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertReaches(principal, program.ownerRegion);
    // A token inside a wider program's region counts only its own regions' enrollments.
    const countsScope = this.ledger.covers(principal, program.ownerRegion) ? null : scopeFilter(principal);
    const found = await programSummary(this.ledger.read, program, date, countsScope, knownAt);
    return sendReport(
      request,
      reply,
      found.summary,
      programSummaryTables(found),
      `ringkasan-program-${id}-${date}`,
      {
        title: 'Ringkasan program',
        facts: [
          { label: 'Program', value: program.name },
          { label: 'Tanggal', value: date },
          knownAt === undefined
            ? { label: 'Posisi log', value: await this.ledger.readPosition(['programs', 'enrollments']) }
            : { label: 'Menurut catatan per posisi log', value: knownAt },
        ],
      },
    );
  }
}

/** A report as known at a position says which: `knownAt`, the resolved log position. */
function echoKnownAt<T extends object>(report: T, known: KnownCoverage | undefined) {
  return known ? { ...report, knownAt: known.position } : report;
}

const knownSuffix = (known: KnownCoverage | undefined) => (known ? `-posisi-${known.position}` : '');

const regionFact = (region: { code: string; name: string }) => ({
  label: 'Wilayah',
  value: `${region.code} ${region.name}`,
});
