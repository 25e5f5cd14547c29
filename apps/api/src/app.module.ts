import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { LedgerRuntime } from '@ledger/runtime';
import { RUNTIME } from '@ledger/runtime/runtime.token';
import { LedgerCommandsModule, ledgerDeps } from '@ledger/runtime/commands';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { ProjectionsController } from './operations/projections.controller';
import { AuthModule } from '@ledger/platform/auth/auth.module';
import { AuditController } from './audit/audit.controller';
import { BpjsBillController } from './contributions/bpjs-bill.controller';
import { ClaimsController } from './claims/claims.controller';
import { ContributionsController } from './contributions/contributions.controller';
import { TreasuryController } from './treasury/treasury.controller';
import { ReconciliationController } from './reconciliation/reconciliation.controller';
import { StatementController } from './reconciliation/statement.controller';
import { RealisationController } from './reconciliation/realisation.controller';
import { EnrollmentsController } from './enrollments/enrollments.controller';
import { FinanceController } from './finance/finance.controller';
import { ImportsController } from './imports/imports.controller';
import { IntegrityController } from './integrity/integrity.controller';
import { ParticipantHistoryController } from './participants/participant-history.controller';
import { ParticipantsController } from './participants/participants.controller';
import { ProgramsController } from './programs/programs.controller';
import { RegionsController } from './regions/regions.controller';
import { ReportsController } from './reports/reports.controller';
import { Ledger } from './shared/ledger.providers';
import { redactTokenParameters, TOKEN_PARAMETERS } from './http-limits';
import { AccountsModule } from './accounts/accounts.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // The CommandBus, with the ledger's use cases the reactors of this process call for.
        LedgerCommandsModule.forDeps(ledgerDeps(runtime)),
        TerminusModule.forRoot({ logger: false }),
        AuthModule.forSecret(runtime.secrets.jwtSecret),
        AccountsModule,
        WebModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.logLevel,
            // Tokens and uploaded lists never reach the log.
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                ...TOKEN_PARAMETERS.map((name) => `req.query.${name}`),
              ],
              censor: '[redacted]',
            },
            // A token sent in the URL is refused, and its value never reaches the log.
            serializers: {
              req: (req: { url?: string }) => ({ ...req, url: req.url && redactTokenParameters(req.url) }),
            },
            customProps: (req) => ({ correlationId: req.headers['x-correlation-id'] }),
            autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
          },
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        ProjectionsController,
        RegionsController,
        ProgramsController,
        EnrollmentsController,
        ImportsController,
        ParticipantsController,
        ParticipantHistoryController,
        ReportsController,
        FinanceController,
        AuditController,
        IntegrityController,
        ContributionsController,
        BpjsBillController,
        TreasuryController,
        ReconciliationController,
        StatementController,
        RealisationController,
        ClaimsController,
      ],
      providers: [{ provide: RUNTIME, useValue: runtime }, Ledger],
      exports: [RUNTIME],
    };
  }
}
