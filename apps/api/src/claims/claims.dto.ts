import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLAIM_BENEFITS,
  CLAIM_KINDS,
  DOCUMENT_TYPES,
  HEIR_RELATIONSHIPS,
  REJECTION_CODES,
  type ClaimBenefit,
  type ClaimKind,
  type DocumentType,
  type HeirRelationship,
  type RejectionCode,
} from '@ledger/ledger/claims/claim.events';
import { CLAIM_STATUSES } from '@ledger/ledger/claims/claim.state';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { BackfillDto } from '../shared/backfill.dto';
import { KNOWN_AT_QUERY } from '../shared/known-at-query';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class HeirDto {
  @ApiProperty({ example: 'Siti Aminah' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '1603014508850002', description: '16 digits; sealed, never stored in plain text' })
  @Matches(/^\d{16}$/, { message: 'NIK ahli waris harus 16 digit angka' })
  nik!: string;

  @ApiProperty({ enum: HEIR_RELATIONSHIPS })
  @IsIn(HEIR_RELATIONSHIPS, { message: 'hubungan ahli waris wajib: spouse, child, parent atau other' })
  relationship!: HeirRelationship;

  @ApiProperty({ example: 'Bank Sumsel Babel' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  bankName!: string;

  @ApiProperty({ example: '1234567890', description: 'Digits only, 5 to 20' })
  @Matches(/^\d{5,20}$/, { message: 'nomor rekening hanya angka, 5–20 digit' })
  accountNumber!: string;

  @ApiPropertyOptional({ example: '081234567890' })
  @IsOptional()
  @Matches(/^\+?\d{6,15}$/, { message: 'nomor telepon hanya angka' })
  phone?: string;
}

export class ClaimDocumentDto {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  @IsIn(DOCUMENT_TYPES)
  type!: DocumentType;

  @ApiProperty({ example: '1603-KM-12032026-0001' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: '2026-03-11' })
  @IsCalendarDate()
  issuedOn!: string;
}

export class FileClaimDto extends BackfillDto {
  @ApiProperty({ description: 'The enrollment whose coverage the claim relies on' })
  @IsUUID()
  enrollmentId!: string;

  @ApiProperty({ enum: CLAIM_KINDS })
  @IsIn(CLAIM_KINDS)
  kind!: ClaimKind;

  @ApiProperty({ enum: CLAIM_BENEFITS, description: 'JKM: death' })
  @IsIn(CLAIM_BENEFITS)
  benefit!: ClaimBenefit;

  @ApiProperty({ example: '2026-03-10', description: 'Date of death or of the accident; not after today' })
  @IsCalendarDate()
  eventDate!: string;

  @ApiPropertyOptional({ example: '2026-03-12', description: 'Day it was reported; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  reportedOn?: string;

  @ApiProperty({ type: [HeirDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => HeirDto)
  heirs!: HeirDto[];

  @ApiPropertyOptional({ type: [ClaimDocumentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ClaimDocumentDto)
  documents?: ClaimDocumentDto[];
}

export class ClaimStepDto {
  @ApiPropertyOptional({ example: '2026-03-13', description: 'Effective day of the step; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  on?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note?: string;
}

export class CompleteDocumentsDto extends ClaimStepDto {
  @ApiProperty({ type: [ClaimDocumentDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ClaimDocumentDto)
  documents!: ClaimDocumentDto[];
}

export class ApproveClaimDto extends ClaimStepDto {
  @ApiPropertyOptional({
    example: 3_250_000,
    description: 'JKK medical care and incapacity: what BPJS approved (Rp)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  approvedAmount?: number;
}

export class RejectClaimDto extends ClaimStepDto {
  @ApiProperty({ enum: REJECTION_CODES })
  @IsIn(REJECTION_CODES)
  code!: RejectionCode;
}

export class PayClaimDto {
  @ApiProperty({ example: '2026-03-20' })
  @IsCalendarDate()
  paidOn!: string;

  @ApiProperty({ example: 'TRF-BPJS-20260320-01' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  reference!: string;
}

export class ClaimsQueryDto {
  @ApiProperty({
    example: '1603',
    description: 'Region code: claims of participants whose village lies in it',
  })
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'region harus kode wilayah 2, 4, 6 atau 10 digit' })
  region!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  program?: string;

  @ApiPropertyOptional({ enum: CLAIM_KINDS })
  @IsOptional()
  @IsIn(CLAIM_KINDS)
  kind?: ClaimKind;

  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: string;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    description: 'A write’s consistencyToken: wait until the claims read model reached it',
  })
  @IsOptional()
  @IsString()
  consistentWith?: string;
}

export class ClaimsReportQueryDto {
  @ApiProperty({
    example: '1603',
    description: 'Region code: claims of participants whose village lies in it',
  })
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'region harus kode wilayah 2, 4, 6 atau 10 digit' })
  region!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  program?: string;

  @ApiPropertyOptional({ enum: CLAIM_KINDS })
  @IsOptional()
  @IsIn(CLAIM_KINDS)
  kind?: ClaimKind;

  @ApiPropertyOptional({ description: 'Year of the death or accident', minimum: 2000, maximum: 2100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year harus tahun 2000 sampai 2100' })
  @Min(2000, { message: 'year harus tahun 2000 sampai 2100' })
  @Max(2100, { message: 'year harus tahun 2000 sampai 2100' })
  year?: number;

  @ApiPropertyOptional({
    description:
      'YYYY-MM-DD, the effective day: each claim as after its steps (reported, documents, submission, approval, ' +
      'rejection, payment, withdrawal, reopening) that took effect by then, each on its day but never before the steps ' +
      'recorded before it; a claim reported later is not counted. Absent: every step.',
    example: '2025-12-31',
  })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ description: KNOWN_AT_QUERY.description })
  @IsOptional()
  @IsString()
  knownAt?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: string;

  @ApiPropertyOptional({ description: 'CSV: the table, by name or number (Klaim, Waktu bayar)' })
  @IsOptional()
  @IsString()
  sheet?: string;

  @ApiPropertyOptional({
    description: 'A write’s consistencyToken: wait until the claims read model reached it',
  })
  @IsOptional()
  @IsString()
  consistentWith?: string;
}
