import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CORRECTION_REASONS,
  DEREGISTRATION_REASONS,
  type CorrectionReason,
  type DeregistrationReason,
} from '@ledger/ledger/enrollment/enrollment.events';
import { OCCUPATION_CODES, type Occupation } from '@ledger/ledger/shared/occupations';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { BackfillDto } from '../shared/backfill.dto';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class ProposeEnrollmentDto extends BackfillDto {
  @ApiProperty({ example: '1603015708900001', description: 'NIK, 16 digits' })
  @Matches(/^\d{16}$/, { message: 'NIK harus 16 digit angka' })
  nik!: string;

  @ApiProperty({ example: 'Siti Aminah' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ['L', 'P'] })
  @IsIn(['L', 'P'])
  sex!: 'L' | 'P';

  @ApiProperty({ example: '1990-08-17' })
  @IsCalendarDate()
  birthDate!: string;

  @ApiProperty({ enum: OCCUPATION_CODES })
  @IsIn(OCCUPATION_CODES)
  occupation!: Occupation;

  @ApiProperty({ example: '1603012011', description: 'Kode desa/kelurahan of the domicile, 10 digits' })
  @Matches(/^\d{10}$/, { message: 'villageCode harus kode desa 10 digit' })
  villageCode!: string;

  @ApiPropertyOptional({ example: '081234567890' })
  @IsOptional()
  @Matches(/^0\d{8,13}$/, { message: 'phone harus nomor HP Indonesia (08…)' })
  phone?: string;

  @ApiPropertyOptional({
    example: '2025-10-01',
    description:
      'Intended first day of coverage, inside the program period; the period, its end and the age cap are ' +
      'checked on it. Default: the program start, or today once it started',
  })
  @IsOptional()
  @IsCalendarDate()
  coverageFrom?: string;

  @ApiPropertyOptional({ example: '2025-09-20', description: 'Effective day of the proposal; default today' })
  @IsOptional()
  @IsCalendarDate()
  proposedOn?: string;
}

export class ApproveDto extends BackfillDto {
  @ApiProperty({ example: '2026-10-01', description: 'First day of coverage, inside the program period' })
  @IsCalendarDate()
  coverageFrom!: string;

  @ApiPropertyOptional({ example: '2025-09-30', description: 'Effective day of the approval; default today' })
  @IsOptional()
  @IsCalendarDate()
  approvedOn?: string;
}

export class RejectDto extends BackfillDto {
  @ApiProperty({ example: 'NIK tidak sesuai KK' })
  @IsString()
  @IsCleanText()
  @Length(3, 500)
  reason!: string;

  @ApiPropertyOptional({
    example: '2025-09-30',
    description: 'Effective day of the rejection; default today',
  })
  @IsOptional()
  @IsCalendarDate()
  rejectedOn?: string;
}

export class DeregisterDto extends BackfillDto {
  @ApiProperty({ enum: DEREGISTRATION_REASONS })
  @IsIn(DEREGISTRATION_REASONS)
  reason!: DeregistrationReason;

  @ApiProperty({
    example: '2026-11-30',
    description: 'Last day of coverage; for deceased, the date of death',
  })
  @IsCalendarDate()
  effectiveDate!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note?: string;
}

export class CorrectEnrollmentDto {
  @ApiPropertyOptional({ example: '2025-10-15', description: 'Corrected first day of coverage' })
  @IsOptional()
  @IsCalendarDate()
  coverageFrom?: string;

  @ApiPropertyOptional({
    example: '2025-11-15',
    description: 'Corrected last day of a coverage that ended (a deregistration); absent: unchanged',
  })
  @IsOptional()
  @IsCalendarDate()
  endedOn?: string;

  @ApiProperty({ enum: CORRECTION_REASONS })
  @IsIn(CORRECTION_REASONS)
  reason!: CorrectionReason;

  @ApiProperty({ example: 'Tanggal mulai salah ketik pada daftar' })
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note!: string;
}
