import { auditProjection } from './audit/audit.projection';
import { baselinesProjection } from './baselines/baselines.projection';
import { coverageProjection } from './coverage/coverage.projection';
import { coverageProbesProjection } from './coverage-probes/coverage-probes.projection';
import { enrollmentVersionsProjection } from './enrollments/enrollment-versions.projection';
import { enrollmentsProjection } from './enrollments/enrollments.projection';
import { importsProjection } from './imports/imports.projection';
import { participantsProjection } from './participants/participants.projection';
import { programsProjection } from './programs/programs.projection';
import type { Projection, RetiredReadModel } from './runner/projection';

/** Every read model of the ledger, in the order they are installed. */
export function ledgerProjections(): Projection[] {
  return [
    programsProjection,
    enrollmentsProjection,
    enrollmentVersionsProjection,
    participantsProjection,
    baselinesProjection,
    importsProjection,
    coverageProjection,
    coverageProbesProjection,
    auditProjection,
  ] as Projection[];
}

/**
 * Read models that no longer exist: their tables, views and checkpoints are dropped at
 * install. The participant history is read from the log itself since projection version 3.
 */
export const retiredReadModels: RetiredReadModel[] = [
  { name: 'participant_history', tables: ['participant_history'] },
];
