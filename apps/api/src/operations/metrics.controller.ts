import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import { Public } from '@ledger/platform/auth/public.decorator';

@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(RUNTIME) private readonly runtime: LedgerRuntime) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    const { metrics, runner } = this.runtime;
    metrics.recordProjections(await runner.status());
    return metrics.registry.metrics();
  }
}
