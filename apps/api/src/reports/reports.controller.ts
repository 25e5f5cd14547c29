import { Controller, Get, HttpStatus, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, scopeFilter, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { uuidParam } from '@ledger/platform/http/validation';
import { isIsoDate } from '@ledger/ledger/shared/dates';
import { todayInIndonesia } from '@ledger/ledger/shared/dates';
import {
  AGE_BANDS,
  activeSummed,
  activeOn,
  ageBand,
  baselinesFor,
  competitionRanks,
  loadPrograms,
  monthEnds,
  oneMonthBefore,
  percent,
  type ProgramInfo,
} from '@ledger/read-models/coverage/coverage.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { sendReport } from '../shared/report-format';

const COVERAGE_MODELS = ['coverage', 'programs', 'baselines'];

function invalid(field: string, rule: string, message: string): never {
  throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
    errors: [{ field, rule, message }],
  });
}

function dateParam(value: string | undefined, field: string, fallback?: string): string {
  if (value === undefined || value === '') {
    if (fallback) return fallback;
    invalid(field, 'required', `${field} wajib diisi (YYYY-MM-DD)`);
  }
  if (!isIsoDate(value)) invalid(field, 'isCalendarDate', `${field} harus tanggal YYYY-MM-DD yang valid`);
  return value;
}

const sumBy = <T>(items: T[], key: (t: T) => string, amount: (t: T) => number) => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + amount(item));
  return [...out]
    .map(([k, active]) => ({ key: k, active }))
    .sort((a, b) => b.active - a.active || a.key.localeCompare(b.key));
};

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api')
export class ReportsController {
  constructor(private readonly ledger: Ledger) {}

  private region(code: string | undefined, field = 'region') {
    const value = code === undefined || code === '' ? 'ID' : code;
    if (value === 'ID') return { code: 'ID', name: 'Indonesia', level: 'national' as const };
    const region = /^(\d{2}|\d{4}|\d{6}|\d{10})$/.test(value) ? this.ledger.regions.get(value) : undefined;
    if (!region) invalid(field, 'region.unknown', `${field}: kode wilayah tidak terdaftar`);
    return { code: region.code, name: region.name, level: region.level };
  }

  private children(code: string): string[] {
    return [...this.ledger.regions.children(code === 'ID' ? '' : code)];
  }

  @Get('coverage')
  @ApiOperation({
    summary:
      'Active participants on a date in a region and the regions one level below, with breakdowns and coverage %',
  })
  @ApiQuery({ name: 'region', required: false, description: 'Kode wilayah; absent or ID for national' })
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD, default today (WIB)' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  async coverage(
    @Query('region') regionCode: string | undefined,
    @Query('date') dateValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const region = this.region(regionCode);
    const date = dateParam(dateValue, 'date', todayInIndonesia(new Date()));
    this.ledger.assertCovers(principal, region.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);

    const db = this.ledger.read;
    const programs = await loadPrograms(db);
    const below = this.children(region.code);
    const year = Number(date.slice(0, 4));
    const [totals, dimensions, belowRows, baselines] = await Promise.all([
      activeOn(db, programs, [region.code], date, ['total']),
      activeSummed(db, programs, [region.code], date, ['occupation', 'sex', 'birth_year']),
      activeSummed(db, programs, below, date),
      baselinesFor(db, [region.code, ...below], year),
    ]);
    const active = totals.reduce((n, r) => n + r.active, 0);
    const baseline = baselines.get(region.code) ?? null;
    const program = (id: string) => programs.get(id) as ProgramInfo;
    const byProgram = sumBy(
      totals,
      (r) => r.programId,
      (r) => r.active,
    ).map(({ key, active: n }) => ({
      programId: key,
      name: program(key).name,
      payer: program(key).payer,
      fundingSource: program(key).fundingSource,
      active: n,
      quota: program(key).quota,
      quotaUse: percent(n, program(key).quota),
    }));
    const byAgeBand = AGE_BANDS.map((band) => ({
      key: band,
      active: dimensions
        .filter((r) => r.dim === 'birth_year' && ageBand(Number(r.value), date) === band)
        .reduce((n, r) => n + r.active, 0),
    }));
    const belowTotals = new Map<string, number>();
    for (const r of belowRows) belowTotals.set(r.region, (belowTotals.get(r.region) ?? 0) + r.active);
    const belowList = below.map((code) => {
      const child = this.ledger.regions.get(code)!;
      const childBaseline = baselines.get(code);
      const n = belowTotals.get(code) ?? 0;
      return {
        code,
        name: child.name,
        level: child.level,
        active: n,
        workingPopulation: childBaseline?.workingPopulation ?? null,
        coverage: percent(n, childBaseline?.workingPopulation),
      };
    });
    const json = {
      region,
      date,
      active,
      baseline,
      coverage: {
        ofWorkingPopulation: percent(active, baseline?.workingPopulation),
        ofVulnerableWorkers: percent(active, baseline?.vulnerableWorkers),
        denominator: baseline?.workingPopulation ?? null,
        source: baseline?.source ?? null,
        note: baseline
          ? null
          : `Belum ada data penduduk bekerja untuk ${region.name} tahun ${year}; persentase tidak dihitung`,
      },
      byProgram,
      byPayer: sumBy(
        totals,
        (r) => program(r.programId).payer,
        (r) => r.active,
      ),
      byFundingSource: sumBy(
        totals,
        (r) => program(r.programId).fundingSource,
        (r) => r.active,
      ),
      byOccupation: sumBy(
        dimensions.filter((r) => r.dim === 'occupation'),
        (r) => r.value,
        (r) => r.active,
      ),
      bySex: sumBy(
        dimensions.filter((r) => r.dim === 'sex'),
        (r) => r.value,
        (r) => r.active,
      ),
      byAgeBand,
      below: belowList,
    };
    const breakdown = (name: string, items: { key: string; active: number }[]) =>
      items.map((i) => ({ breakdown: name, key: i.key, active: i.active }));
    return sendReport(
      request,
      reply,
      json,
      [
        {
          name: 'Wilayah',
          columns: [
            { key: 'code', header: 'Kode' },
            { key: 'name', header: 'Nama' },
            { key: 'level', header: 'Tingkat' },
            { key: 'active', header: 'Peserta aktif' },
            { key: 'workingPopulation', header: 'Penduduk bekerja' },
            { key: 'coverage', header: 'Cakupan (%)' },
          ],
          rows: [
            {
              code: region.code,
              name: region.name,
              level: region.level,
              active,
              workingPopulation: baseline?.workingPopulation ?? null,
              coverage: json.coverage.ofWorkingPopulation,
            },
            ...belowList,
          ],
        },
        {
          name: 'Rincian',
          columns: [
            { key: 'breakdown', header: 'Rincian' },
            { key: 'key', header: 'Kategori' },
            { key: 'active', header: 'Peserta aktif' },
          ],
          rows: [
            ...breakdown(
              'program',
              byProgram.map((p) => ({ key: p.name, active: p.active })),
            ),
            ...breakdown('pemberi', json.byPayer),
            ...breakdown('sumber dana', json.byFundingSource),
            ...breakdown('pekerjaan', json.byOccupation),
            ...breakdown('jenis kelamin', json.bySex),
            ...breakdown('kelompok umur', byAgeBand),
          ],
        },
      ],
      `cakupan-${region.code}-${date}`,
    );
  }

  @Get('coverage/series')
  @ApiOperation({ summary: 'Month-end series of active participants and coverage % in a region' })
  async series(
    @Query('region') regionCode: string | undefined,
    @Query('from') fromValue: string | undefined,
    @Query('to') toValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const region = this.region(regionCode);
    const from = dateParam(fromValue, 'from');
    const to = dateParam(toValue, 'to');
    if (from > to) invalid('to', 'order', 'to harus sesudah from');
    const months = monthEnds(from, to);
    if (months.length > 120) invalid('to', 'range', 'paling banyak 120 bulan');
    this.ledger.assertCovers(principal, region.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);
    const db = this.ledger.read;
    const programs = await loadPrograms(db);
    const points = [];
    for (const date of months) {
      const rows = await activeSummed(db, programs, [region.code], date);
      const active = rows.reduce((n, r) => n + r.active, 0);
      const baseline = (await baselinesFor(db, [region.code], Number(date.slice(0, 4)))).get(region.code);
      points.push({
        date,
        active,
        workingPopulation: baseline?.workingPopulation ?? null,
        coverage: percent(active, baseline?.workingPopulation),
      });
    }
    return sendReport(
      request,
      reply,
      { region, from, to, points },
      [
        {
          name: 'Deret bulanan',
          columns: [
            { key: 'date', header: 'Akhir bulan' },
            { key: 'active', header: 'Peserta aktif' },
            { key: 'workingPopulation', header: 'Penduduk bekerja' },
            { key: 'coverage', header: 'Cakupan (%)' },
          ],
          rows: points,
        },
      ],
      `deret-cakupan-${region.code}-${from}-${to}`,
    );
  }

  @Get('rankings')
  @ApiOperation({
    summary:
      'Ranks by coverage %: the regencies/cities of a province (?province=), the villages of a regency (?regency=), or the provinces',
  })
  async rankings(
    @Query('province') province: string | undefined,
    @Query('regency') regency: string | undefined,
    @Query('date') dateValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (province !== undefined && regency !== undefined)
      invalid('regency', 'exclusive', 'pilih province atau regency, tidak keduanya');
    let scope = this.region(undefined);
    if (province !== undefined) {
      scope = this.region(province, 'province');
      if (scope.level !== 'province') invalid('province', 'level', 'province harus kode provinsi (2 digit)');
    }
    if (regency !== undefined) {
      scope = this.region(regency, 'regency');
      if (scope.level !== 'regency')
        invalid('regency', 'level', 'regency harus kode kabupaten/kota (4 digit)');
    }
    const date = dateParam(dateValue, 'date', todayInIndonesia(new Date()));
    this.ledger.assertCovers(principal, scope.code);
    await this.ledger.consistent(consistentWith, COVERAGE_MODELS);

    const db = this.ledger.read;
    const programs = await loadPrograms(db);
    const items =
      regency !== undefined ? this.ledger.regions.villagesOf(scope.code) : this.children(scope.code);
    const previous = oneMonthBefore(date);
    const measure = async (day: string) => {
      const [rows, baselines] = await Promise.all([
        activeSummed(db, programs, [...items], day),
        baselinesFor(db, [...items], Number(day.slice(0, 4))),
      ]);
      const active = new Map<string, number>();
      for (const r of rows) active.set(r.region, (active.get(r.region) ?? 0) + r.active);
      const entries = items.map((code) => {
        const n = active.get(code) ?? 0;
        const baseline = baselines.get(code);
        return {
          code,
          active: n,
          workingPopulation: baseline?.workingPopulation ?? null,
          coverage: percent(n, baseline?.workingPopulation),
        };
      });
      const ranked = entries.filter((e) => e.coverage !== null);
      const ranks = competitionRanks(ranked, (e) => e.coverage!);
      return new Map(entries.map((e) => [e.code, { ...e, rank: ranks.get(e) ?? null }]));
    };
    const [now, before] = await Promise.all([measure(date), measure(previous)]);
    const ranking = [...now.values()]
      .map((e) => {
        const prev = before.get(e.code)!;
        return {
          rank: e.rank,
          code: e.code,
          name: this.ledger.regions.get(e.code)!.name,
          active: e.active,
          workingPopulation: e.workingPopulation,
          coverage: e.coverage,
          previousRank: prev.rank,
          previousCoverage: prev.coverage,
          movement: e.rank !== null && prev.rank !== null ? prev.rank - e.rank : null,
        };
      })
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name));
    const json = {
      scope,
      date,
      previousDate: previous,
      note: ranking.some((r) => r.rank === null)
        ? 'Wilayah tanpa data penduduk bekerja untuk tahun itu tidak diperingkat (rank null)'
        : null,
      ranking,
    };
    return sendReport(
      request,
      reply,
      json,
      [
        {
          name: 'Peringkat',
          columns: [
            { key: 'rank', header: 'Peringkat' },
            { key: 'code', header: 'Kode' },
            { key: 'name', header: 'Nama' },
            { key: 'active', header: 'Peserta aktif' },
            { key: 'workingPopulation', header: 'Penduduk bekerja' },
            { key: 'coverage', header: 'Cakupan (%)' },
            { key: 'previousRank', header: 'Peringkat bulan lalu' },
            { key: 'previousCoverage', header: 'Cakupan bulan lalu (%)' },
            { key: 'movement', header: 'Perubahan' },
          ],
          rows: ranking,
        },
      ],
      `peringkat-${scope.code}-${date}`,
    );
  }

  @Get('programs/:id/summary')
  @ApiOperation({
    summary:
      'A program on a date: proposed, approved, rejected, active and ended counts, quota use, deregistrations by reason, monthly liability',
  })
  async programSummary(
    @Param('id', uuidParam()) id: string,
    @Query('date') dateValue: string | undefined,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const date = dateParam(dateValue, 'date', todayInIndonesia(new Date()));
    await this.ledger.consistent(consistentWith, ['programs', 'enrollments']);
    const db = this.ledger.read;
    const program = (await loadPrograms(db)).get(id);
    if (!program)
      throw new ProblemException(HttpStatus.NOT_FOUND, 'program.notFound', 'Program tidak ditemukan');
    this.ledger.assertReaches(principal, program.ownerRegion);
    // A token inside a wider program's region counts only its own regions' enrollments.
    const countsScope = this.ledger.covers(principal, program.ownerRegion) ? null : scopeFilter(principal);
    const end = program.end;
    let query = db
      .selectFrom('enrollments')
      .select([
        'status',
        'proposed_on',
        'approved_on',
        'rejected_on',
        'coverage_from',
        'ended_on',
        'end_reason',
      ])
      .where('program_id', '=', id)
      .where('proposed_on', '<=', date);
    if (countsScope) {
      query = query.where((eb) =>
        eb.or(countsScope.map((prefix) => eb('village_code', 'like', `${prefix}%`))),
      );
    }
    const rows = await query.execute();
    let approved = 0;
    let rejected = 0;
    let pending = 0;
    let active = 0;
    let ended = 0;
    let notStarted = 0;
    const deregistrations = new Map<string, number>();
    for (const r of rows) {
      const approvedBy = r.approved_on !== null && r.approved_on <= date;
      const rejectedBy = r.rejected_on !== null && r.rejected_on <= date;
      if (rejectedBy) {
        rejected += 1;
        continue;
      }
      if (!approvedBy) {
        pending += 1;
        continue;
      }
      approved += 1;
      const last = r.ended_on !== null && r.ended_on < end ? r.ended_on : end;
      // Past its last day a coverage is over, even one that was to start after the program
      // closed early: it never starts, and its seat is free again.
      if (date > last) ended += 1;
      else if (date < r.coverage_from) notStarted += 1;
      else active += 1;
      if (r.ended_on !== null && r.ended_on < date) {
        deregistrations.set(r.end_reason, (deregistrations.get(r.end_reason) ?? 0) + 1);
      }
    }
    const json = {
      programId: id,
      name: program.name,
      date,
      period: { from: program.from, end },
      ...(countsScope ? { countsScope } : {}),
      proposed: rows.length,
      pending,
      approved,
      rejected,
      notYetStarted: notStarted,
      active,
      ended,
      quota: program.quota,
      quotaUse: {
        seats: pending + active + notStarted,
        percent: percent(pending + active + notStarted, program.quota),
      },
      deregistrationsByReason: Object.fromEntries([...deregistrations].sort()),
      monthlyContribution: program.monthlyContribution,
      monthlyLiability: active * program.monthlyContribution,
    };
    return sendReport(
      request,
      reply,
      json,
      [
        {
          name: 'Ringkasan',
          columns: [
            { key: 'item', header: 'Butir' },
            { key: 'value', header: 'Nilai' },
          ],
          rows: [
            ['Diusulkan', json.proposed],
            ['Menunggu verifikasi', pending],
            ['Disetujui', approved],
            ['Ditolak', rejected],
            ['Belum mulai', notStarted],
            ['Aktif', active],
            ['Berakhir', ended],
            ['Kuota', program.quota],
            ['Kuota terpakai (%)', json.quotaUse.percent],
            ['Iuran per bulan', program.monthlyContribution],
            ['Kewajiban iuran bulanan', json.monthlyLiability],
            ...[...deregistrations].map(([reason, n]) => [`Berhenti: ${reason}`, n]),
          ].map(([item, value]) => ({ item, value })),
        },
      ],
      `ringkasan-program-${id}-${date}`,
    );
  }
}
