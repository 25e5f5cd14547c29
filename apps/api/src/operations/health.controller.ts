import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { ProblemException } from '@ledger/platform/http/problem';
import { storeFault } from '@ledger/event-store';
import type { LedgerRuntime } from '@ledger/runtime';
import { probeDataDir } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
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
    return this.report([() => this.eventStore(), () => this.readDatabase()]);
  }

  @Get('live')
  @ApiOperation({
    summary: 'Whether this process serves HTTP at all (200): for restarts; it touches no store',
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Whether this process can take writes now (200) or not (503): every store answers, the data disk ' +
      '(embedded mode) takes a write, the projections are not stopped by a storage fault and, when ' +
      'LEDGER_READY_MAX_LAG is set, no read model is further behind the log; each part is named',
  })
  ready() {
    const { config, keys } = this.runtime;
    return this.report([
      () => this.eventStore(),
      () => this.readDatabase(),
      () => this.probe('keyStore', () => keys.isDestroyed('ready-probe').then(() => undefined), {}),
      ...(config.store === 'sqlite'
        ? [() => this.probe('dataDisk', () => probeDataDir(config.dataDir), { dir: config.dataDir })]
        : []),
      () => this.projections(),
    ]);
  }

  /** A 503 as problem details that keep terminus' report of which part is down. */
  private async report(indicators: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const { details, error: down } = error.getResponse() as HealthCheckResult;
      throw new ProblemException(503, 'health.down', `Tidak siap: ${Object.keys(down ?? {}).join(', ')}`, {
        details,
        error: down,
      });
    }
  }

  private eventStore() {
    return this.probe('eventStore', () => this.runtime.store.ping(), { kind: this.runtime.store.kind });
  }

  private readDatabase() {
    return this.probe(
      'readDatabase',
      () => sql`SELECT 1`.execute(this.runtime.read.query).then(() => undefined),
      { dialect: this.runtime.read.dialect },
    );
  }

  /**
   * Down for a storage fault, or for read models further behind than the configured bound; a
   * projection bug alone must not take every replica out of service.
   */
  private async projections() {
    const check = this.indicator.check('projections');
    const failure = this.runtime.projectionFailure();
    if (failure?.fault) return check.down({ fault: failure.fault, message: failure.message });
    const lastError: Record<string, string> = failure ? { lastError: failure.message } : {};
    const maxLag = this.runtime.config.readyMaxLag;
    if (maxLag === null) return check.up(lastError);
    const lag = Math.max(0, ...(await this.runtime.runner.status()).map((s) => s.lag));
    return lag > maxLag ? check.down({ lag, maxLag, ...lastError }) : check.up({ lag, maxLag, ...lastError });
  }

  private async probe(key: string, ping: () => Promise<void>, info: Record<string, unknown>) {
    const check = this.indicator.check(key);
    try {
      await ping();
      return check.up(info);
    } catch (error) {
      const fault = storeFault(error);
      return check.down({ ...info, ...(fault && { fault: fault.kind }), message: (error as Error).message.split('\n')[0] });
    }
  }
}
