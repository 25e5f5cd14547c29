import { parseArgs } from 'node:util';
import { loadConfig } from '@ledger/platform/config';
import { openRuntime } from '@ledger/runtime';
import { InvalidAuditQuery, auditQueryOf, summaryKindOf } from '@ledger/read-models/audit/audit-params';
import { auditSummaryTable, auditTrailTable, type AuditTable } from '@ledger/read-models/audit/audit-tables';
import { AUDIT_PAGE_MAX, auditSummary, auditTrail } from '@ledger/read-models/audit/audit.query';
import { ledgerProjections } from '@ledger/read-models/projections';
import { CliError, table } from '../cli-error';

const FILTERS = [
  'actor',
  'role',
  'region',
  'program',
  'action',
  'sensitive',
  'from',
  'to',
  'after',
  'limit',
] as const;
const USAGE =
  'usage: audit [--actor ID] [--role ROLE] [--region CODE] [--program ID] [--action CODE[,CODE]] [--sensitive] ' +
  '[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--after POSITION] [--limit N] [--summary actor|region] [--json]';

/**
 * `audit`: the audit trail for auditors working on the server, answered by the same query
 * as `GET /api/audit` (and `--summary` as `GET /api/audit/summary`), with national scope or
 * the one region given.
 */
export async function auditCommand(args: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        ...Object.fromEntries(
          FILTERS.filter((f) => f !== 'sensitive').map((f) => [f, { type: 'string' as const }]),
        ),
        sensitive: { type: 'boolean' },
        summary: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}; ${USAGE}`);
  }
  const { values } = parsed;
  const query: Record<string, unknown> = { ...values, sensitive: values.sensitive ? 'true' : undefined };
  let request;
  try {
    request = {
      ...auditQueryOf(query, 'all', AUDIT_PAGE_MAX),
      summary: values.summary === undefined ? undefined : summaryKindOf({ by: values.summary }),
    };
  } catch (error) {
    if (error instanceof InvalidAuditQuery) throw new CliError(`${error.message}; ${USAGE}`);
    throw error;
  }

  const runtime = await openRuntime(loadConfig(), { projections: ledgerProjections() });
  try {
    const status = (await runtime.runner.status()).find((s) => s.name === 'audit_trail');
    if (status && status.lag > 0)
      process.stderr.write(
        `audit trail read model is ${status.lag} events behind the log; run "projections catch-up" for the latest\n`,
      );
    let answer: unknown;
    let shown: AuditTable;
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
