import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ledger/platform/auth/roles.decorator';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';

@ApiTags('operations')
@ApiBearerAuth()
@Roles('program_admin', 'auditor', 'finance')
@Controller('api/projections')
export class ProjectionsController {
  constructor(@Inject(RUNTIME) private readonly runtime: LedgerRuntime) {}

  @Get()
  @ApiOperation({ summary: 'Position, lag and state of every read model' })
  async status() {
    const projections = await this.runtime.runner.status();
    return { head: projections[0]?.head ?? (await this.runtime.store.headPosition()), projections };
  }
}
