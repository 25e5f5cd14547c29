import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REFUND_REASONS, type RefundReason } from '@ledger/ledger/contributions/contribution.events';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { BackfillDto } from '../shared/backfill.dto';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class IssueInvoiceDto extends BackfillDto {
  @ApiProperty({
    example: '2025-10',
    description: 'The contribution month, YYYY-MM, within the program period',
  })
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month harus berbentuk YYYY-MM' })
  month!: string;

  @ApiPropertyOptional({
    example: '2025-10-01',
    description: 'Effective day of the issue; today when absent',
  })
  @IsOptional()
  @IsCalendarDate()
  issuedOn?: string;
}

export class RecordPaymentDto extends BackfillDto {
  @ApiProperty({
    example: 449_820_000,
    description: 'Whole rupiah, more than zero (partial and over-payments allowed)',
  })
  // Any number passes here: the rule (a whole rupiah amount above zero) is the ledger's, a 422.
  @IsNumber({ allowNaN: false, allowInfinity: false })
  amount!: number;

  @ApiProperty({ example: '2025-10-14', description: 'Day the money was paid; not after today' })
  @IsCalendarDate()
  paidOn!: string;

  @ApiProperty({
    example: 'VA 8800 1603 2510',
    description:
      'Transfer or virtual-account reference: unique in the ledger once trimmed, upper-cased and without spaces. ' +
      'A NIK-shaped number (16 digits) is refused (noNik)',
  })
  // Kept for ever in the log: like every free text, no NIK-shaped number (sixteen digits), so a
  // NIK typed here by mistake never reaches the log (rule `noNik`, 400).
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  reference!: string;

  @ApiPropertyOptional({ example: '0123/SP2D/LS/2025' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  sp2dNumber?: string;
}

export class AdjustInvoiceDto {
  @ApiProperty({ example: 'Peserta disetujui setelah tagihan dibekukan' })
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  reason!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note?: string;

  @ApiProperty({ enum: [true], description: 'Recompute the roster now (the only adjustment there is)' })
  @Equals(true, { message: 'recompute harus true' })
  recompute!: true;

  @ApiPropertyOptional({ example: '2025-11-03', description: 'Effective day; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  adjustedOn?: string;
}

export class CancelInvoiceDto {
  @ApiProperty({ example: 'Diterbitkan untuk bulan yang salah' })
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  reason!: string;

  @ApiPropertyOptional({ example: '2025-10-02', description: 'Effective day; today when absent' })
  @IsOptional()
  @IsCalendarDate()
  cancelledOn?: string;
}

export class RecordRefundDto extends BackfillDto {
  @ApiPropertyOptional({
    type: [Number],
    example: [17],
    description: 'Line numbers refunded; absent: every refundable line (at most 5,000 a request)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5_000)
  @IsInt({ each: true })
  lines?: number[];

  @ApiPropertyOptional({ default: false, description: 'Refund the over-payment too' })
  @IsOptional()
  @IsBoolean()
  includeOverpaid?: boolean;

  @ApiProperty({ enum: REFUND_REASONS })
  @IsIn(REFUND_REASONS)
  reason!: RefundReason;

  @ApiPropertyOptional({ example: 'BA-PENGEMBALIAN/12/2025' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  reference?: string;

  @ApiProperty({ example: '2025-12-20', description: 'Day the refund was agreed with BPJS' })
  @IsCalendarDate()
  agreedOn!: string;
}

export class NonWorkingDaysDto {
  @ApiProperty({ type: [String], example: ['2025-12-25', '2025-12-26'] })
  @IsArray()
  @ArrayMaxSize(366)
  @IsCalendarDate({ each: true })
  days!: string[];

  @ApiPropertyOptional({ example: 'SKB 3 Menteri libur nasional dan cuti bersama' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note?: string;
}
