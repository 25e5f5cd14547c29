import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import type { LedgerRuntime } from '@ledger/platform/runtime';
import { RUNTIME } from '@ledger/platform/runtime.token';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { ProjectionsController } from './operations/projections.controller';

@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.logLevel,
            // Tokens and uploaded lists never reach the log.
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
            customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          },
        }),
      ],
      controllers: [HealthController, MetricsController, ProjectionsController],
      providers: [{ provide: RUNTIME, useValue: runtime }],
      exports: [RUNTIME],
    };
  }
}
