import { auditProjection } from './audit/audit.projection';
import { claimVersionsProjection } from './claims/claim-versions.projection';
import { claimsProjection } from './claims/claims.projection';
import { baselinesProjection } from './baselines/baselines.projection';
import { outsideParticipantsProjection } from './baselines/outside-participants.projection';
import type { StoreKind } from '@ledger/event-store';
import { coverageKnownProjection, knownBuckets } from './coverage/coverage-known.projection';
import { coverageProjection } from './coverage/coverage.projection';
import { coverageProbesProjection } from './coverage-probes/coverage-probes.projection';
import { enrollmentVersionsProjection } from './enrollments/enrollment-versions.projection';
import { enrollmentsProjection } from './enrollments/enrollments.projection';
import { financeProjection } from './finance/invoices/invoices.projection';
import { importsProjection } from './imports/imports.projection';
import { participantsProjection } from './participants/participants.projection';
import { programsProjection } from './programs/programs.projection';
import {
  reconBudgetLinesProjection,
  reconInvoicesProjection,
  reconSp2dProjection,
} from './reconciliation/reconciliation.projection';
import { statementsProjection } from './reconciliation/statement.projection';
import type { Projection, RetiredReadModel } from './runner/projection';

/**
 * Every read model of the ledger, in the order they are installed. `store` is the kind of
 * the event log they are built from: `coverage_known` buckets its log positions, which are
 * sequence numbers in SQLite and PostgreSQL but byte offsets in KurrentDB. Every process
 * that projects or queries the same ledger passes the same kind (its `LEDGER_STORE`).
 */
export function ledgerProjections(store: StoreKind = 'sqlite'): Projection[] {
  return [
    programsProjection,
    enrollmentsProjection,
    enrollmentVersionsProjection,
    participantsProjection,
    baselinesProjection,
    outsideParticipantsProjection,
    importsProjection,
    coverageProjection,
    coverageKnownProjection(knownBuckets(store)),
    coverageProbesProjection,
    financeProjection,
    auditProjection,
    claimsProjection,
    claimVersionsProjection,
    reconInvoicesProjection,
    reconSp2dProjection,
    reconBudgetLinesProjection,
    statementsProjection,
  ] as Projection[];
}

/**
 * Read models that no longer exist: their tables, views and checkpoints are dropped at
 * install. The participant history is read from the log itself since projection version 3.
 */
export const retiredReadModels: RetiredReadModel[] = [
  { name: 'participant_history', tables: ['participant_history'] },
];
