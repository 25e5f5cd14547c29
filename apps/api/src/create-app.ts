import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { completeContract } from './openapi/contract';
import { ProblemDetailsFilter } from '@ledger/platform/http/problem-details.filter';
import { ledgerValidationPipe } from '@ledger/platform/http/validation';
import type { LedgerRuntime } from '@ledger/runtime';
import multipart from '@fastify/multipart';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { registerCors } from './cors';
import { answerBasis, registerETags } from './etag';
import { clientErrorHandler, registerHttpLimits } from './http-limits';
import { registerHttpMetrics } from './http-metrics';
import { echoRequestId, requestId } from './request-id';
import { ruleViolationProblem } from './shared/rule-violation-problem';

/** Builds the HTTP application around an opened runtime (used by main and by the e2e tests). */
export async function createApp(runtime: LedgerRuntime): Promise<NestFastifyApplication> {
  // Long path parameters reach the validation pipes (400 naming the field) instead of Fastify's own 414.
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024 * 1024,
    trustProxy: runtime.config.httpLimits.trustProxy,
    routerOptions: { maxParamLength: 1000 },
    clientErrorHandler,
    genReqId: requestId,
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRuntime(runtime), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // Nomination lists arrive as multipart uploads or as the file itself.
  await app.register(multipart as never, { limits: { fileSize: 64 * 1024 * 1024, files: 1 } });
  const fastify = app.getHttpAdapter().getInstance();
  // Hooks run in this order: the id first, so that every answer carries it; CORS before the
  // limits, so that a page's script can read their refusals.
  echoRequestId(fastify);
  await registerCors(fastify, runtime.config.corsOrigins);
  registerHttpMetrics(fastify, runtime.metrics.registry);
  await registerHttpLimits(fastify, runtime.config.httpLimits, runtime.secrets.jwtSecret);
  registerETags(fastify, answerBasis(runtime));
  fastify.addContentTypeParser(
    [
      'text/csv',
      'application/csv',
      'application/octet-stream',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.ms-excel',
    ],
    // The body stays a stream: the import spools it to disk under its own byte limit.
    (_request, payload, done) => done(null, payload),
  );
  app.useGlobalPipes(ledgerValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(ruleViolationProblem));
  // On SIGTERM: close HTTP (in-flight requests finish, new ones get 503), stop the projections
  // after their batch, close the stores, then exit 0 rather than re-raising the signal.
  app.enableShutdownHooks(undefined, { useProcessExit: true });

  const document = completeContract(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Ledger Jaminan Sosial Pekerja Rentan')
        .setDescription(
          'Event-sourced ledger of regional programs that pay BPJS Ketenagakerjaan contributions ' +
            '(JKK, JKM, JHT) for vulnerable workers. Every write returns a consistency token; every ' +
            'query accepts it as `consistentWith`.',
        )
        .setVersion('1')
      .setLicense('UNLICENSED', 'https://ledger.example.id/license')
        .addBearerAuth()
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
