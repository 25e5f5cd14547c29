import { ApiPropertyOptional } from '@nestjs/swagger';
import { BACKFILL_REASONS, type BackfillReason, type BackfillRequest } from '@ledger/ledger/shared/backfill';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsCleanText } from './validators';

/**
 * The two fields of every write whose effective date may lie in the past: a fact taking
 * effect before today − the program's backfill tolerance (default 7 days) is a backfill and
 * needs a reason (422 `backfill.reasonRequired` without one, 403 `backfill.forbidden` for a
 * role other than program_admin). Given when it is not a backfill, they are not recorded.
 */
export class BackfillDto {
  @ApiPropertyOptional({
    enum: BACKFILL_REASONS,
    description:
      'Why a past fact is recorded now: migration (earlier records brought in), late_report, correction',
  })
  @IsOptional()
  @IsIn(BACKFILL_REASONS)
  backfillReason?: BackfillReason;

  @ApiPropertyOptional({ example: 'Data program 2025 dari Disnaker' })
  @IsOptional()
  @IsString()
  @IsCleanText()
  @Length(1, 500)
  backfillNote?: string;
}

export function backfillOf(body: BackfillDto): BackfillRequest {
  return body.backfillReason ? { reason: body.backfillReason, note: body.backfillNote ?? null } : undefined;
}
