import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import {
  BILL_DIFFERENCES,
  type BillDifference,
} from '@ledger/ledger/contributions/bpjs-bill/bpjs-bill.events';
import { IsCalendarDate } from '../shared/validators';

/** A bill entered by its control totals only, when BPJS sent no file (or a PDF). */
export class BpjsBillTotalsDto {
  @ApiProperty({ example: 8925, description: 'Participants (lines) on the bill' })
  @IsInt({ message: 'participants harus bilangan bulat' })
  @Min(0)
  @Max(100_000_000)
  participants!: number;

  @ApiProperty({ example: 149_940_000, description: 'Amount billed, whole rupiah' })
  @IsInt({ message: 'amount harus rupiah bulat' })
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiPropertyOptional({
    example: '2026-10-20',
    description: 'Day the payer received the bill; default today',
  })
  @IsOptional()
  @IsCalendarDate()
  receivedOn?: string;
}

/** Form fields of an uploaded bill besides its file and its `columns[...]` mapping. */
export class BpjsBillFormDto {
  @IsOptional()
  @IsCalendarDate()
  receivedOn?: string;
}

export class BpjsBillReportQueryDto {
  @ApiPropertyOptional({ description: 'Bill version (default the latest)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version?: number;

  @ApiPropertyOptional({
    enum: [...BILL_DIFFERENCES, 'cocok'],
    description: 'Only lines with this difference',
  })
  @IsOptional()
  @IsIn([...BILL_DIFFERENCES, 'cocok'])
  difference?: BillDifference | 'cocok';

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

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: string;

  /** The report is read from the log itself, never behind a write: accepted, nothing to wait for. */
  @IsOptional()
  consistentWith?: string;

  @ApiPropertyOptional({ description: 'CSV: the table, by name or number (Ringkasan, Baris)' })
  @IsOptional()
  sheet?: string;
}
