import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEREGISTRATION_REASONS,
  type DeregistrationReason,
} from '@ledger/ledger/enrollment/enrollment.events';
import { OCCUPATION_CODES, type Occupation } from '@ledger/ledger/shared/occupations';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, IsCleanText } from '../shared/validators';

export class ProposeEnrollmentDto {
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
}

export class ApproveDto {
  @ApiProperty({ example: '2026-10-01', description: 'First day of coverage, inside the program period' })
  @IsCalendarDate()
  coverageFrom!: string;
}

export class RejectDto {
  @ApiProperty({ example: 'NIK tidak sesuai KK' })
  @IsString()
  @IsCleanText()
  @Length(3, 500)
  reason!: string;
}

export class DeregisterDto {
  @ApiProperty({ enum: DEREGISTRATION_REASONS })
  @IsIn(DEREGISTRATION_REASONS)
  reason!: DeregistrationReason;

  @ApiProperty({ example: '2026-11-30', description: 'Last day of coverage' })
  @IsCalendarDate()
  effectiveDate!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  note?: string;
}
