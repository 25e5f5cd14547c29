import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { LedgerRuntime } from '@ledger/platform/runtime';
import { RUNTIME } from '@ledger/platform/runtime.token';
import { Public } from '@ledger/platform/auth/public.decorator';
import { sql } from 'kysely';

@Public()
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(RUNTIME) private readonly runtime: LedgerRuntime,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Whether the event store and the read database answer (200) or not (503)' })
  check() {
    return this.health.check([
      () => this.probe('eventStore', () => this.runtime.store.ping(), { kind: this.runtime.store.kind }),
      () =>
        this.probe(
          'readDatabase',
          () => sql`SELECT 1`.execute(this.runtime.read.query).then(() => undefined),
          {
            dialect: this.runtime.read.dialect,
          },
        ),
    ]);
  }

  private async probe(key: string, ping: () => Promise<void>, info: Record<string, unknown>) {
    const check = this.indicator.check(key);
    try {
      await ping();
      return check.up(info);
    } catch (error) {
      return check.down({ ...info, message: (error as Error).message.split('\n')[0] });
    }
  }
}
