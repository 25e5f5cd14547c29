import { Body, Controller, Get, HttpStatus, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, NATIONAL_SCOPE, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { intParam } from '@ledger/platform/http/validation';
import { setBaseline } from '@ledger/ledger/baselines/set/set-baseline.handler';
import { setOutsideParticipants } from '@ledger/ledger/baselines/set-outside/set-outside.handler';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { baselinesOf } from '@ledger/read-models/baselines/baselines.query';
import { outsideParticipantsOf } from '@ledger/read-models/baselines/outside-participants.query';
import { calendarDate } from '@ledger/read-models/params';
import type { FastifyRequest } from 'fastify';
import { parsed } from '../shared/query-params';
import { IsCleanText } from '../shared/validators';
import { Ledger } from '../shared/ledger.providers';

export class BaselineDto {
  @ApiProperty({ example: 93_000, description: 'Penduduk bekerja (working population)' })
  @IsInt()
  @Min(0)
  @Max(300_000_000)
  workingPopulation!: number;

  @ApiPropertyOptional({ example: 60_000, description: 'Pekerja informal' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300_000_000)
  informalWorkers?: number;

  @ApiPropertyOptional({ example: 48_838, description: 'Pekerja rentan' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300_000_000)
  vulnerableWorkers?: number;

  @ApiProperty({ example: 'BPS Sakernas Agustus 2025' })
  @IsString()
  @IsCleanText()
  @Length(2, 300)
  source!: string;
}

/**
 * BPJS Ketenagakerjaan participants of a region outside the ledger on a day: those no program
 * of this ledger pays for. The region's UCJ adds them to the ledger's own active participants.
 */
export class OutsideParticipantsDto {
  @ApiProperty({
    example: 66_225,
    description:
      'Peserta BPJS Ketenagakerjaan di wilayah ini yang TIDAK dibiayai program mana pun di ledger ini ' +
      '(PU dan BPU lain); peserta program ledger tidak boleh termasuk, agar tidak terhitung dua kali',
  })
  @IsInt()
  @Min(0)
  @Max(300_000_000)
  participants!: number;

  @ApiProperty({ example: 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan 2025-11-30' })
  @IsString()
  @IsCleanText()
  @Length(2, 300)
  source!: string;
}

@ApiTags('regions')
@ApiBearerAuth()
@Controller('api/regions')
export class RegionsController {
  constructor(private readonly ledger: Ledger) {}

  private region(code: string) {
    const region = /^(\d{2}|\d{4}|\d{6}|\d{10})$/.test(code) ? this.ledger.regions.get(code) : undefined;
    if (!region) {
      throw new ProblemException(
        HttpStatus.NOT_FOUND,
        'region.unknown',
        `Kode wilayah ${code.slice(0, 20)} tidak terdaftar`,
      );
    }
    return region;
  }

  @Get(':code')
  @ApiOperation({ summary: 'A region by its Kemendagri code: name, level, parent chain, children count' })
  get(@Param('code') code: string) {
    const regions = this.ledger.regions;
    if (code === NATIONAL_SCOPE) {
      // The national level, as tokens, coverage and rankings name it.
      return {
        code,
        name: 'Indonesia',
        level: 'national',
        kind: 'nasional',
        parents: [],
        childrenCount: regions.childrenCount(code),
        population: regions.population(code) ?? null,
      };
    }
    const region = this.region(code);
    return {
      code: region.code,
      name: region.name,
      level: region.level,
      kind: region.kind,
      parents: regions
        .parentChain(code)
        .slice(1)
        .map((r) => ({ code: r.code, name: r.name, level: r.level })),
      childrenCount: regions.childrenCount(code),
      population: regions.population(code) ?? null,
    };
  }

  @Put(':code/baselines/:year')
  @Roles('program_admin')
  @ApiOperation({ summary: 'Sets the workforce baseline (coverage denominator) of a region for a year' })
  async putBaseline(
    @Param('code') code: string,
    @Param('year', intParam('year')) year: number,
    @Body() body: BaselineDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.region(code);
    if (year < 2000 || year > 2100) {
      throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Tahun tidak valid', {
        errors: [{ field: 'year', rule: 'range', message: 'tahun 2000–2100' }],
      });
    }
    return setBaseline(this.ledger.deps, this.ledger.context(request, principal, body), {
      regionCode: code,
      year,
      workingPopulation: body.workingPopulation,
      informalWorkers: body.informalWorkers ?? null,
      vulnerableWorkers: body.vulnerableWorkers ?? null,
      source: body.source,
    });
  }

  @Put(':code/outside-participants/:date')
  @Roles('program_admin')
  @ApiOperation({
    summary:
      'Sets the BPJS Ketenagakerjaan participants of a region outside the ledger as counted on a date (UCJ numerator beside the ledger’s own)',
  })
  async putOutsideParticipants(
    @Param('code') code: string,
    @Param('date') dateValue: string,
    @Body() body: OutsideParticipantsDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.region(code);
    const asOf = parsed(() => calendarDate(dateValue, 'date'));
    return setOutsideParticipants(this.ledger.deps, this.ledger.context(request, principal, body), {
      regionCode: code,
      asOf,
      participants: body.participants,
      source: body.source,
    });
  }

  @Get(':code/outside-participants')
  @ApiOperation({
    summary:
      'BPJS Ketenagakerjaan participants of a region outside the ledger, every date (the last set per date)',
  })
  async outsideParticipants(
    @Param('code') code: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.region(code);
    this.ledger.assertCovers(principal, code);
    await this.ledger.consistent(consistentWith, ['outside_participants']);
    return { regionCode: code, figures: await outsideParticipantsOf(this.ledger.read, code) };
  }

  @Get(':code/baselines')
  @ApiOperation({ summary: 'Workforce baselines of a region, every year' })
  async baselines(
    @Param('code') code: string,
    @Query('consistentWith') consistentWith: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.region(code);
    this.ledger.assertCovers(principal, code);
    await this.ledger.consistent(consistentWith, ['baselines']);
    return { regionCode: code, baselines: await baselinesOf(this.ledger.read, code) };
  }
}
