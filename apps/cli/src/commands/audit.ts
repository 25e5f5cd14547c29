import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { auditQueryOf, summaryKindOf } from '@ledger/read-models/audit/audit-params';
import { auditSummaryTable, auditTrailTable } from '@ledger/read-models/exports/audit.exports';
import type { ReportTable } from '@ledger/read-models/exports/report-table';
import { InvalidQuery } from '@ledger/read-models/params';
import { AUDIT_PAGE_MAX, auditSummary, auditTrail } from '@ledger/read-models/audit/audit.query';
import { ledgerProjections } from '@ledger/read-models/projections';
import { CliError, seeHelp, table } from '../cli-error';

/** The options of `audit`, as given: filters and the page are checked by `auditQueryOf`. */
export interface AuditOptions {
  actor?: string;
  role?: string;
  region?: string;
  program?: string;
  action?: string;
  sensitive?: boolean;
  from?: string;
  to?: string;
  after?: string;
  limit?: string;
  summary?: string;
  json?: boolean;
}

/**
 * `audit`: the audit trail for auditors working on the server, answered by the same query
 * as `GET /api/audit` (and `--summary` as `GET /api/audit/summary`), with national scope or
 * the one region given.
 */
export async function auditCommand(values: AuditOptions): Promise<void> {
  const query: Record<string, unknown> = { ...values, sensitive: values.sensitive ? 'true' : undefined };
  let request;
  try {
    request = {
      ...auditQueryOf(query, 'all', AUDIT_PAGE_MAX),
      summary: values.summary === undefined ? undefined : summaryKindOf({ by: values.summary }),
    };
  } catch (error) {
    if (error instanceof InvalidQuery) throw new CliError(`${error.message}; ${seeHelp('audit')}`);
    throw error;
  }

  const config = loadConfig();
  const runtime = await openRuntime(config, { projections: ledgerProjections(config.store) });
  try {
    const status = (await runtime.runner.status()).find((s) => s.name === 'audit_trail');
    if (status && status.lag > 0)
      process.stderr.write(
        `audit trail read model is ${status.lag} events behind the log; run "projections catch-up" for the latest\n`,
      );
    let answer: unknown;
    let shown: ReportTable;
    if (request.summary) {
      const found = await auditSummary(runtime.read.query, request.filter, request.summary);
      answer = { by: request.summary, ...found };
      shown = auditSummaryTable(request.summary, found.rows);
    } else {
      const found = await auditTrail(runtime.read.query, request.filter, request.page);
      answer = found;
      shown = auditTrailTable(found.entries);
      if (!values.json && found.nextCursor !== null)
        process.stderr.write(`more: --after ${found.nextCursor}\n`);
    }
    process.stdout.write(
      values.json
        ? `${JSON.stringify(answer, null, 2)}\n`
        : `${table(shown.rows.map((r) => Object.fromEntries(shown.columns.map((c) => [c.header, r[c.key]]))))}\n`,
    );
  } finally {
    await runtime.close();
  }
}
