import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class StatementSignerDto {
  @ApiProperty({ example: 'Hj. Rosmala Dewi, S.E.', description: 'The finance officer who signs' })
  @IsString()
  @IsCleanText()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'Kepala Bidang Perbendaharaan BPKAD' })
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

  @ApiPropertyOptional({ example: 'BPJS Ketenagakerjaan Cabang Prabumulih', description: 'The other party' })
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
