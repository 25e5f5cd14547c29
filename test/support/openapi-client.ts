/**
 * A client generated from the served OpenAPI document, as a report builder would make one:
 * openapi-typescript writes the types, `tsc --strict` checks code written against them. Both
 * run in child processes (openapi-typescript is an ES module Jest cannot load).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** Writes `api.ts` beside the document: `paths` and `components` as openapi-typescript makes them. */
export async function generateTypes(documentFile: string, dir: string): Promise<void> {
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), documentFile, '-o', join(dir, 'api.ts')],
    { cwd: dir },
  );
}

/** The compiler's complaints ('' when none): a file alone, or a tsconfig.json (`-p`). */
export async function typeErrors(dir: string, target: string): Promise<string> {
  const args = target.endsWith('.json')
    ? ['-p', target]
    : ['--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs', target];
  return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...args], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    () => '',
    (error: { stdout?: string }) => error.stdout || String(error),
  );
}

/**
 * A check that the types the read models and handlers return fit the declared schemas: one
 * line per schema, compiled with the project's own settings. It compares what the schema
 * names (the open objects' index signatures dropped, since an interface has none) and takes
 * its enums as strings (the read models type their text columns as string); so it finds a
 * field the schema requires but a source type may leave out, or a null it does not allow.
 */
export function writeSourceTypeCheck(dir: string): string {
  const at = (path: string) => JSON.stringify(join(ROOT, path));
  writeFileSync(
    join(dir, 'sources.ts'),
    `import type { components } from './api';
import type { HealthCheckResult } from ${at('node_modules/@nestjs/terminus')};
import type { ProjectionStatus } from ${at('libs/read-models/src/runner/projection-runner')};
import type { CoverageReport, CoverageRankings, CoverageSeries } from ${at('libs/read-models/src/coverage/coverage.query')};
import type { ProgramSummary, enrollmentById } from ${at('libs/read-models/src/enrollments/enrollments.query')};
import type { toProgram } from ${at('libs/read-models/src/programs/programs.query')};
import type { baselinesOf } from ${at('libs/read-models/src/baselines/baselines.query')};
import type { coverageProbes } from ${at('libs/read-models/src/coverage-probes/coverage-probes.query')};
import type { importStatus, ImportReportRecord } from ${at('libs/read-models/src/imports/imports.query')};
import type { auditTrail, auditSummary } from ${at('libs/read-models/src/audit/audit.query')};
import type { HistoryEvent } from ${at('libs/read-models/src/participant-history/participant-history')};
import type { PersonalView } from ${at('libs/read-models/src/participants/personal-view')};
import type { ImportSummary } from ${at('libs/ledger/src/enrollment/import/upload/upload.decider')};
import type { approveEnrollments } from ${at('libs/ledger/src/enrollment/import/approve/approve-import.handler')};
import type { proposeEnrollment } from ${at('libs/ledger/src/enrollment/propose/propose.handler')};
import type { approveEnrollment } from ${at('libs/ledger/src/enrollment/approve/approve.handler')};
import type { establishProgram } from ${at('libs/ledger/src/programs/establish/establish.handler')};
import type { amendProgram } from ${at('libs/ledger/src/programs/amend/amend.handler')};
import type { setBaseline } from ${at('libs/ledger/src/baselines/set/set-baseline.handler')};
import type { eraseParticipant } from ${at('libs/ledger/src/participants/erase/erase.handler')};
import type { InvoiceView } from ${at('libs/ledger/src/contributions/invoice.view')};
import type { treasuryView } from ${at('libs/ledger/src/treasury/treasury.view')};
import type { setBudgetLine } from ${at('libs/ledger/src/treasury/set-budget-line/set-budget-line.handler')};
import type { recordSpp } from ${at('libs/ledger/src/treasury/record-spp/record-spp.handler')};
import type { recordSpm } from ${at('libs/ledger/src/treasury/record-spm/record-spm.handler')};
import type { recordSp2d } from ${at('libs/ledger/src/treasury/record-sp2d/record-sp2d.handler')};
import type { cancelTreasuryDocument } from ${at('libs/ledger/src/treasury/cancel-document/cancel-document.handler')};
import type { reconciliation } from ${at('libs/read-models/src/reconciliation/reconciliation.query')};
import type { Sp2dImportResult } from ${at('libs/ledger/src/treasury/import-sp2d/import-sp2d.decider')};
import type { linkSp2d } from ${at('libs/ledger/src/treasury/link-sp2d/link-sp2d.handler')};
import type { recordPayment } from ${at('libs/ledger/src/contributions/record-payment/record-payment.handler')};
import type { adjustInvoice } from ${at('libs/ledger/src/contributions/adjust-invoice/adjust-invoice.handler')};
import type { cancelInvoice } from ${at('libs/ledger/src/contributions/cancel-invoice/cancel-invoice.handler')};
import type { recordRefund } from ${at('libs/ledger/src/contributions/record-refund/record-refund.handler')};
import type { setNonWorkingDays } from ${at('libs/ledger/src/contributions/set-non-working-days/set-non-working-days.handler')};
import type { BpjsBillResult } from ${at('libs/ledger/src/contributions/bpjs-bill/bpjs-bill.decider')};
import type { fileClaim } from ${at('libs/ledger/src/claims/file/file-claim.handler')};
import type { approveClaim } from ${at('libs/ledger/src/claims/approve/approve-claim.handler')};
import type { listClaims } from ${at('libs/read-models/src/claims/claims.query')};
import type { programRoster } from ${at('libs/read-models/src/enrollments/program-roster.query')};
import type { claimView } from ${at('libs/ledger/src/claims/claim.view')};
import type { BillReport, BillReportLine } from ${at('libs/read-models/src/bpjs-bills/bpjs-bill.query')};

type S = components['schemas'];
type R<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
type Known<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? Known<U>[]
    : T extends object
      ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
      : T;
/** Compiles only when A fits the schema B. */
type Fits<A extends Known<B>, B> = A;

export type Checks = [
  Fits<CoverageReport, S['CoverageReport']>,
  Fits<CoverageSeries, S['CoverageSeries']>,
  Fits<CoverageRankings, S['CoverageRankings']>,
  Fits<ProgramSummary['summary'], S['ProgramSummary']>,
  Fits<ReturnType<typeof toProgram>, S['Program']>,
  Fits<NonNullable<R<typeof enrollmentById>>, S['Enrollment']>,
  Fits<{ regionCode: string; baselines: R<typeof baselinesOf> }, S['RegionBaselines']>,
  Fits<{ actors: R<typeof coverageProbes> }, S['CoverageProbes']>,
  Fits<R<typeof importStatus>, S['ImportStatus']>,
  Fits<{ importId: string; rows: ImportReportRecord[] }, S['ImportReport']>,
  Fits<ImportSummary & { consistencyToken: number; report: string }, S['ImportSummary']>,
  Fits<R<typeof approveEnrollments>, S['ImportApproval']>,
  // A rejected proposal is thrown as a refusal: an answer always holds both ids.
  Fits<R<typeof proposeEnrollment> & { enrollmentId: string; participantId: string }, S['EnrollmentProposed']>,
  Fits<R<typeof approveEnrollment>, S['EnrollmentDecided']>,
  Fits<R<typeof establishProgram>, S['ProgramWritten']>,
  Fits<R<typeof amendProgram>, S['ProgramWritten']>,
  Fits<R<typeof setBaseline>, S['BaselineWritten']>,
  Fits<R<typeof eraseParticipant>, S['ParticipantErased']>,
  Fits<R<typeof auditTrail>, S['AuditTrail']>,
  Fits<{ by: 'actor' | 'region' } & R<typeof auditSummary>, S['AuditSummary']>,
  Fits<HistoryEvent, S['HistoryEvent']>,
  Fits<PersonalView, S['PersonalView']>,
  Fits<InvoiceView, S['Invoice']>,
  Fits<R<typeof recordPayment>, S['PaymentWritten']>,
  Fits<R<typeof adjustInvoice>, S['InvoiceAdjustmentWritten']>,
  Fits<R<typeof cancelInvoice>, S['InvoiceCancellationWritten']>,
  Fits<R<typeof recordRefund>, S['RefundWritten']>,
  Fits<R<typeof setNonWorkingDays>, S['NonWorkingDaysWritten']>,
  Fits<ReturnType<typeof treasuryView>, S['Treasury']>,
  Fits<R<typeof reconciliation>, S['Reconciliation']>,
  Fits<R<typeof setBudgetLine>, S['BudgetLineWritten']>,
  Fits<R<typeof recordSpp>, S['TreasuryDocumentWritten']>,
  Fits<R<typeof recordSpm>, S['TreasuryDocumentWritten']>,
  Fits<R<typeof recordSp2d>, S['TreasuryDocumentWritten']>,
  Fits<R<typeof cancelTreasuryDocument>, S['TreasuryCancellationWritten']>,
  Fits<R<typeof linkSp2d>, S['Sp2dLinkWritten']>,
  Fits<Sp2dImportResult & { programId: string; fiscalYear: number; consistencyToken: number }, S['Sp2dImported']>,
  Fits<BpjsBillResult & { consistencyToken: number; report: string }, S['BpjsBillRecorded']>,
  Fits<BillReport & { page: { offset: number; limit: number; total: number }; lines: BillReportLine[] }, S['BpjsBillReport']>,
  Fits<R<typeof fileClaim>, S['ClaimFiled']>,
  Fits<R<typeof approveClaim>, S['ClaimStepWritten']>,
  Fits<R<typeof claimView>, S['Claim']>,
  Fits<R<typeof listClaims>, S['ClaimList']>,
  Fits<R<typeof programRoster>, S['ProgramRoster']>,
  Fits<{ head: number; projections: ProjectionStatus[] }, S['ProjectionsStatus']>,
  Fits<HealthCheckResult, S['HealthReport']>,
];
`,
  );
  const tsconfig = join(dir, 'tsconfig.sources.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: {
        baseUrl: ROOT,
        noEmit: true,
        typeRoots: [join(ROOT, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['sources.ts'],
      include: [],
    }),
  );
  return tsconfig;
}
