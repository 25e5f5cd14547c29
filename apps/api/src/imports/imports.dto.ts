import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { BackfillDto } from '../shared/backfill.dto';
import { IsCalendarDate } from '../shared/validators';

/** The effective dates every row of an uploaded list is proposed with (query or form fields). */
export class ImportDatesDto extends BackfillDto {
  @ApiPropertyOptional({
    example: '2025-10-01',
    description:
      'Intended first day of coverage of every row, inside the program period; the age cap and the program end ' +
      'are checked on it. Default: the program start, or today once it started',
  })
  @IsOptional()
  @IsCalendarDate()
  coverageFrom?: string;

  @ApiPropertyOptional({
    example: '2025-09-20',
    description: 'Effective day of the proposals; default today',
  })
  @IsOptional()
  @IsCalendarDate()
  proposedOn?: string;
}
