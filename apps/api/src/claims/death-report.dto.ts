import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPORTER_RELATIONSHIPS, type ReporterRelationship } from '@ledger/ledger/claims/claim.events';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { BackfillDto } from '../shared/backfill.dto';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class DeathReporterDto {
  @ApiProperty({
    example: 'Rahmat Hidayat',
    description: 'Sealed with the participant’s key, never in plain text',
  })
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: REPORTER_RELATIONSHIPS })
  @IsIn(REPORTER_RELATIONSHIPS, {
    message: `hubungan pelapor wajib: ${REPORTER_RELATIONSHIPS.join(', ')}`,
  })
  relationship!: ReporterRelationship;

  @ApiPropertyOptional({ example: '081234567890' })
  @IsOptional()
  @Matches(/^\+?\d{6,15}$/, { message: 'nomor telepon hanya angka' })
  phone?: string;
}

export class DeathCertificateDto {
  @ApiProperty({
    example: '1603-KM-12032026-0001',
    description: 'Number of the death certificate (akta kematian)',
  })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: '2026-03-11' })
  @IsCalendarDate()
  issuedOn!: string;
}

export class ReportDeathDto extends BackfillDto {
  @ApiProperty({ example: '2026-03-10', description: 'Date of death; not after today, not before birth' })
  @IsCalendarDate()
  dateOfDeath!: string;

  @ApiPropertyOptional({
    example: '2026-03-12',
    description: 'Day the death was reported; today when absent',
  })
  @IsOptional()
  @IsCalendarDate()
  reportedOn?: string;

  @ApiProperty({ type: DeathReporterDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeathReporterDto)
  reporter!: DeathReporterDto;

  @ApiProperty({ type: DeathCertificateDto })
  @IsObject()
  @ValidateNested()
  @Type(() => DeathCertificateDto)
  certificate!: DeathCertificateDto;
}
