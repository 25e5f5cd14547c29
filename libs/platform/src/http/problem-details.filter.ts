import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { InvalidAppendError, WrongExpectedVersionError } from '@ledger/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemType, type ProblemBody } from './problem';
import { storeFaultProblem } from './store-fault-problem';

/** The application's own refusals (a broken business rule) as problem details; undefined for any other error. */
export type DomainProblem = (error: unknown) => ProblemBody | undefined;

const RETRY_AFTER_SECONDS = 5;

/**
 * Refusals that come from the framework rather than from the ledger's code: Fastify's body
 * parsing (bad or empty JSON, too large, unknown content type) and Nest's router (no such
 * path). Nest turns Fastify's errors into plain HttpExceptions that keep only the status and
 * an English message, so they are told apart by status; the message stays as `detail`.
 */
const FRAMEWORK_ERRORS: Record<number, [slug: string, title: string, field?: string]> = {
  400: ['request.malformed', 'Body permintaan tidak dapat dibaca (JSON tidak sah atau kosong)', 'body'],
  404: ['route.notFound', 'Alamat tidak ditemukan'],
  408: ['request.timeout', 'Permintaan tidak selesai dikirim dalam batas waktu'],
  413: ['request.tooLarge', 'Body permintaan terlalu besar', 'body'],
  415: ['request.unsupportedMediaType', 'Jenis konten (Content-Type) tidak didukung', 'content-type'],
  431: ['request.headersTooLarge', 'Header permintaan terlalu besar'],
};

function frameworkProblem(status: number, message: string): ProblemBody {
  const known = Object.hasOwn(FRAMEWORK_ERRORS, status) ? FRAMEWORK_ERRORS[status] : undefined;
  if (!known) return { type: problemType(`http.${status}`), title: message, status };
  const [slug, title, field] = known;
  return {
    type: problemType(slug),
    title,
    status,
    detail: message,
    ...(field ? { errors: [{ field, rule: slug, message: title }] } : {}),
  };
}

/**
 * Every error leaves the API as RFC 9457 problem details; nothing internal leaks out. The
 * domain's refusals are mapped by `domainProblem`, given by the application, so that this
 * library stays beside the domain instead of above it.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly domainProblem: DomainProblem = () => undefined) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toProblem(error);
    body.instance = request.url?.split('?')[0];
    body.requestId = request.id;
    if (body.status >= 500) this.logger.error({ err: error, status: body.status }, 'request failed');
    // A store that is down or a disk that is full: the client may come back later.
    if (body.status === 503 || body.status === 507)
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    void reply
      .status(body.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(body);
  }

  private toProblem(error: unknown): ProblemBody {
    const refusal = this.domainProblem(error);
    if (refusal) return refusal;
    if (error instanceof WrongExpectedVersionError) {
      return {
        type: problemType('concurrency.conflict'),
        title: 'Data berubah bersamaan; ulangi permintaan',
        status: HttpStatus.CONFLICT,
        rule: 'concurrency.conflict',
      };
    }
    if (error instanceof InvalidAppendError) {
      return { type: problemType('request.invalid'), title: error.message, status: HttpStatus.BAD_REQUEST };
    }
    const fault = storeFaultProblem(error);
    if (fault) return fault;
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      if (typeof response === 'object' && response && 'type' in response) return response as ProblemBody;
      const message =
        typeof response === 'string'
          ? response
          : ((response as { message?: unknown }).message ?? error.message);
      return frameworkProblem(status, Array.isArray(message) ? message.join('; ') : String(message));
    }
    // Fastify's own errors (body too large, bad JSON, unsupported media type) carry a 4xx statusCode.
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return frameworkProblem(statusCode, (error as Error).message);
    }
    return {
      type: problemType('internal'),
      title: 'Kesalahan internal',
      status: HttpStatus.INTERNAL_SERVER_ERROR,
    };
  }
}
