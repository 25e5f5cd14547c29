import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEFAULT_MONTH_RULE, MONTH_RULES, type MonthRule } from '@ledger/ledger/contributions/obligation';
import { BENEFIT_PACKAGES, type BenefitPackage } from '@ledger/ledger/programs/contribution';
import {
  DEFAULT_JKK_REPORTING_WINDOW_DAYS,
  FUNDING_SOURCES,
  MAX_JKK_REPORTING_WINDOW_DAYS,
  type FundingSource,
} from '@ledger/ledger/programs/program.events';
import { OCCUPATION_CODES, type Occupation } from '@ledger/ledger/shared/occupations';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { BACKFILL_REASONS, type BackfillReason } from '@ledger/ledger/shared/backfill';
import { BackfillDto } from '../shared/backfill.dto';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class PeriodDto {
  @ApiProperty({ example: '2026-10-01' })
  @IsCalendarDate()
  from!: string;

  @ApiProperty({ example: '2026-12-31' })
  @IsCalendarDate()
  to!: string;
}

export class EstablishProgramDto extends BackfillDto {
  @ApiProperty({ example: 'Perlindungan Pekerja Rentan Muara Enim 2026' })
  @IsString()
  @IsCleanText()
  @Length(3, 200)
  name!: string;

  @ApiProperty({
    example: '1603',
    description: 'Kode wilayah of the owner: province, regency/city or village',
  })
  @Matches(/^(\d{2}|\d{4}|\d{10})$/, {
    message: 'ownerRegion harus kode provinsi (2), kabupaten/kota (4) atau desa (10 digit)',
  })
  ownerRegion!: string;

  @ApiProperty({ example: 'Pemerintah Kabupaten Muara Enim' })
  @IsString()
  @IsCleanText()
  @Length(2, 200)
  payer!: string;

  @ApiProperty({ enum: FUNDING_SOURCES })
  @IsIn(FUNDING_SOURCES)
  fundingSource!: FundingSource;

  @ApiProperty({
    enum: BENEFIT_PACKAGES,
    description: 'JKK_JKM (Rp16,800 at the default income) or JKK_JKM_JHT (Rp36,800)',
  })
  @IsIn(BENEFIT_PACKAGES)
  benefitPackage!: BenefitPackage;

  @ApiPropertyOptional({ example: 1_000_000, default: 1_000_000 })
  @IsOptional()
  @IsInt()
  @Min(1_000_000)
  @Max(1_000_000_000)
  declaredIncome?: number;

  @ApiProperty({ type: PeriodDto })
  @IsObject() // ValidateNested alone lets a missing period (500) or an array ([] → a program without dates) through
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;

  @ApiProperty({ example: 26_775 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quota!: number;

  @ApiPropertyOptional({ example: 65, default: 65 })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(100)
  ageCap?: number;

  @ApiPropertyOptional({ enum: OCCUPATION_CODES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(OCCUPATION_CODES.length)
  @IsIn(OCCUPATION_CODES, { each: true })
  eligibleOccupations?: Occupation[];

  @ApiPropertyOptional({ example: 1_350_000_000, description: 'Pagu anggaran in rupiah' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000_000)
  budgetCeiling?: number;

  @ApiPropertyOptional({
    example: 7,
    default: 7,
    description:
      'Days before today a fact may take effect without being a backfill. A period that started before ' +
      'today − this tolerance makes the establishment itself a backfill (backfillReason required)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3660)
  backfillToleranceDays?: number;

  @ApiPropertyOptional({
    enum: MONTH_RULES,
    default: DEFAULT_MONTH_RULE,
    description:
      'Which months a coverage starting or ending inside one owes: any_day (active on any day of it), ' +
      'first_day (active on the 1st), whole_month (active every day of it)',
  })
  @IsOptional()
  @IsIn(MONTH_RULES)
  monthRule?: MonthRule;

  @ApiPropertyOptional({
    example: 30,
    default: DEFAULT_JKK_REPORTING_WINDOW_DAYS,
    description: 'Days after a work accident within which a JKK claim must be reported to be eligible',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_JKK_REPORTING_WINDOW_DAYS)
  jkkReportingWindowDays?: number;
}

export class AmendQuotaDto {
  @ApiProperty({ example: 30_000 })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  quota!: number;

  @ApiPropertyOptional({ example: 'APBD Perubahan' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

export class AmendPeriodDto extends PeriodDto {
  @ApiPropertyOptional({
    enum: BACKFILL_REASONS,
    description: 'Required when the change takes effect before today − the backfill tolerance',
  })
  @IsOptional()
  @IsIn(BACKFILL_REASONS)
  backfillReason?: BackfillReason;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  backfillNote?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

export class CloseProgramDto extends BackfillDto {
  @ApiProperty({ example: '2026-12-31' })
  @IsCalendarDate()
  closedOn!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

export class AmendBackfillToleranceDto {
  @ApiProperty({
    example: 30,
    description: 'Days before today a fact may take effect without being a backfill',
  })
  @IsInt()
  @Min(0)
  @Max(3660)
  backfillToleranceDays!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}

export class AmendJkkReportingWindowDto {
  @ApiProperty({
    example: 14,
    description:
      'Days after a work accident within which a JKK claim must be reported (claims filed from now on)',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_JKK_REPORTING_WINDOW_DAYS)
  jkkReportingWindowDays!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}
