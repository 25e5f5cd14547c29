import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  BUDGET_DOCUMENTS,
  SP2D_TYPES,
  TREASURY_DOCUMENT_KINDS,
  type BudgetDocument,
  type Sp2dType,
  type TreasuryDocumentKind,
} from '@ledger/ledger/treasury/treasury.events';
import { MAX_DEDUCTIONS } from '@ledger/ledger/treasury/record-sp2d/record-sp2d.decider';
import { MAX_LINKED_INVOICES } from '@ledger/ledger/treasury/link-sp2d/link-sp2d.decider';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

// Amounts pass as any number here: the rule (a whole rupiah amount above zero) is the ledger's, a 422.

export class BudgetLineDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiProperty({
    example: '5.1.02.01.01.0001',
    description: 'Kode rekening of the regional chart of accounts',
  })
  @IsString()
  @Length(3, 40)
  accountCode!: string;

  @ApiProperty({ enum: BUDGET_DOCUMENTS, description: 'DPA, APBD, or the revision APBD-P' })
  @IsIn(BUDGET_DOCUMENTS)
  document!: BudgetDocument;

  @ApiProperty({ example: 'PAD', description: 'Funding source (sumber dana)' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  fundingSource!: string;

  @ApiProperty({ example: 2_000_000_000, description: 'Whole rupiah; a revision may set 0' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  amount!: number;

  @ApiPropertyOptional({
    example: '2025-12-20',
    description: 'Effective day of the budget document; today when absent',
  })
  @IsOptional()
  @IsCalendarDate()
  setOn?: string;
}

export class DocumentDto {
  @ApiProperty({
    example: '0001/SPP-LS/1.02.0.00.0.00.01.0000/2026',
    description: 'Unique in the regency and year',
  })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: '2026-01-10', description: 'Document day; its year is the fiscal year' })
  @IsCalendarDate()
  date!: string;

  @ApiProperty({ example: 449_820_000, description: 'Whole rupiah, more than zero' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  amount!: number;

  @ApiProperty({ example: '5.1.02.01.01.0001', description: "One of the program's budget lines of the year" })
  @IsString()
  @Length(1, 40)
  accountCode!: string;
}

export class SpmDto extends DocumentDto {
  @ApiProperty({ example: '0001/SPP-LS/1.02.0.00.0.00.01.0000/2026', description: 'The SPP it orders' })
  @IsString()
  @Length(1, 100)
  sppNumber!: string;
}

export class DeductionDto {
  @ApiPropertyOptional({ example: '820260114000001', description: 'SIPD id_billing' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 50)
  billingId?: string;

  @ApiProperty({ example: 'PPh Pasal 23', description: 'SIPD nama_pajak_potongan' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 1_000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  amount!: number;
}

export class Sp2dDto extends DocumentDto {
  @ApiProperty({ example: '0001/SPM-LS/1.02.0.00.0.00.01.0000/2026', description: 'The SPM it disburses' })
  @IsString()
  @Length(1, 100)
  spmNumber!: string;

  @ApiProperty({ enum: SP2D_TYPES, description: 'jenis_sp_2_d: LS for a direct payment to BPJS' })
  @IsIn(SP2D_TYPES)
  sp2dType!: Sp2dType;

  @ApiPropertyOptional({ example: 'Pihak Ketiga', description: 'jenis_ls_sp_2_d' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  lsType?: string;

  @ApiProperty({
    example: 'BPJS Ketenagakerjaan Cabang Prabumulih',
    description: 'The third party (pihak ketiga)',
  })
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  recipient!: string;

  @ApiProperty({ example: 'Bank Sumsel Babel', description: 'nama_bank' })
  @IsString()
  @IsCleanText()
  @Length(1, 100)
  bank!: string;

  @ApiPropertyOptional({ type: [DeductionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DEDUCTIONS)
  @ValidateNested({ each: true })
  @IsObject({ each: true })
  @Type(() => DeductionDto)
  deductions?: DeductionDto[];
}

export class CancelDocumentDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiProperty({ enum: TREASURY_DOCUMENT_KINDS })
  @IsIn(TREASURY_DOCUMENT_KINDS)
  kind!: TreasuryDocumentKind;

  @ApiProperty({ example: '0001/SP2D/LS/2026' })
  @IsString()
  @Length(1, 100)
  number!: string;

  @ApiProperty({ example: 'Salah nilai' })
  @IsString()
  @IsCleanText()
  @Length(1, 200)
  reason!: string;

  @ApiPropertyOptional({
    example: '2026-01-20',
    description: 'Effective day of the cancellation; today when absent',
  })
  @IsOptional()
  @IsCalendarDate()
  cancelledOn?: string;
}

export class LinkSp2dDto {
  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;

  @ApiProperty({ example: '0001/SP2D/LS/2026' })
  @IsString()
  @Length(1, 100)
  sp2dNumber!: string;

  @ApiProperty({ type: [String], description: 'The invoices it pays; replaces an earlier link' })
  @IsArray()
  @ArrayMaxSize(MAX_LINKED_INVOICES)
  @IsString({ each: true })
  @Length(1, 80, { each: true })
  invoiceIds!: string[];

  @ApiPropertyOptional({ example: '2026-01-15' })
  @IsOptional()
  @IsCalendarDate()
  linkedOn?: string;
}

export class Sp2dImportFormDto {
  @ApiProperty({
    example: 2026,
    description: 'The fiscal year of the export; a row dated in another is refused',
  })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  fiscalYear!: number;
}
