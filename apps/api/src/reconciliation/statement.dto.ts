import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

/**
 * The signer is the account that posts the statement, in the office given here. There is no
 * `name`: a person's name is written by hand on the printed page, and one sent here is refused
 * (400, `signer.name`, as every property the request does not know).
 */
export class StatementSignerDto {
  @ApiProperty({
    example: 'Kepala Bidang Perbendaharaan BPKAD',
    description: 'The office (jabatan) signed in',
  })
  @IsString()
  @IsCleanText()
  @Length(1, 160)
  position!: string;
}

/** Program and period as the reconciliation reads them; the figures are the ledger's, not the caller's. */
export class SignStatementDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  program!: string;

  @ApiPropertyOptional({ description: 'The payer as the program names it; every payer when absent' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  payer?: string;

  @ApiPropertyOptional({ example: '2026-03', description: 'YYYY-MM (or year)' })
  @IsOptional()
  @IsString()
  month?: string;

  @ApiPropertyOptional({ example: '2026', description: 'YYYY (or month)' })
  @IsOptional()
  @IsString()
  year?: string;

  @ApiPropertyOptional({
    example: '2026-04-02',
    description: 'Effective day of the statement; today when absent',
  })
  @IsOptional()
  @IsCalendarDate()
  signedOn?: string;

  @ApiProperty({ type: StatementSignerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => StatementSignerDto)
  signer!: StatementSignerDto;

  @ApiPropertyOptional({
    example: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    description: 'The other party’s office or institution, not a person’s name',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  counterparty?: string;

  @ApiPropertyOptional({
    example: 'SP2D susulan untuk tagihan Maret',
    description: 'Required to sign a period again: the new statement supersedes the one in force',
  })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  reason?: string;
}
