import { HttpException } from '@nestjs/common';

/** One reason a request was refused, naming the field (when there is one) and the rule. */
export interface ProblemField {
  field?: string;
  rule: string;
  message: string;
}

/** RFC 9457 problem details. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemField[];
  /** The request's id (`X-Request-Id`), under which the server's log holds it. */
  requestId?: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://ledger.example.id/problems/';

export class ProblemException extends HttpException {
  constructor(status: number, slug: string, title: string, extra: Partial<ProblemBody> = {}) {
    super({ type: `${TYPE_BASE}${slug}`, title, status, ...extra } satisfies ProblemBody, status);
  }
}

export const problemType = (slug: string) => `${TYPE_BASE}${slug}`;
