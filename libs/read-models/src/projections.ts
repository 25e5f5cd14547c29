import { baselinesProjection } from './baselines/baselines.projection';
import { coverageProjection } from './coverage/coverage.projection';
import { enrollmentsProjection } from './enrollments/enrollments.projection';
import { importsProjection } from './imports/imports.projection';
import { participantHistoryProjection } from './participant-history/participant-history.projection';
import { participantsProjection } from './participants/participants.projection';
import { programsProjection } from './programs/programs.projection';
import type { Projection } from './runner/projection';

/** Every read model of the ledger, in the order they are installed. */
export function ledgerProjections(): Projection[] {
  return [programsProjection, enrollmentsProjection, participantsProjection, baselinesProjection, importsProjection, coverageProjection, participantHistoryProjection] as Projection[];
}
