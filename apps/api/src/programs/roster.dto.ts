import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';

/** A page of a program's roster: bounded, narrowed by region or by one participant. */
export class RosterQueryDto {
  @ApiPropertyOptional({
    example: '1603012001',
    description: 'Only villages in this region (inside the scope)',
  })
  @IsOptional()
  @Matches(/^(\d{2}|\d{4}|\d{6}|\d{10})$/, { message: 'region harus kode wilayah 2, 4, 6 atau 10 digit' })
  region?: string;

  @ApiPropertyOptional({
    description: 'One participant, as POST /api/participants/lookup found them by NIK (no NIK in the URL)',
  })
  @IsOptional()
  @IsUUID()
  participant?: string;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 10_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'A write’s consistencyToken: wait until the enrollments reached it' })
  @IsOptional()
  @IsString()
  consistentWith?: string;
}
