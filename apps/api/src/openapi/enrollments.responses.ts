import { END_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import {
  arrayOf,
  date,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** Enrollments: proposals and their decisions, one enrollment, and the coverage probes. */

/** Where an enrollment stands in the ledger (`EnrollmentStatus`; `none` only before a proposal). */
export const ENROLLMENT_STATUSES = ['proposed', 'approved', 'rejected', 'deregistered'];

const ENROLLMENT_ID = '0197a000-0000-7000-8000-0000000000e1';
const PARTICIPANT_ID = '0197a000-0000-7000-8000-0000000000f1';

export const enrollmentsContract: AreaContract = {
  schemas: {
    EnrollmentProposed: written({
      enrollmentId: uuid(),
      participantId: uuid('The person: the same id for the same NIK across programs'),
      status: oneOf(['proposed']),
    }),
    EnrollmentDecided: written({ enrollmentId: uuid(), status: oneOf(ENROLLMENT_STATUSES) }),
    Enrollment: object({
      id: uuid(),
      programId: uuid(),
      programName: string(),
      participantId: uuid(),
      villageCode: string('Kode desa/kelurahan'),
      occupation: string(),
      status: oneOf(ENROLLMENT_STATUSES),
      proposedOn: date(),
      coverage: nullable(ref('Period')),
      endReason: nullable(oneOf(END_REASONS)),
      rejectionReason: nullable(string()),
      importId: nullable(string('The nomination list it came from')),
    }),
    CoverageProbe: object({
      actorId: string(),
      role: string('The actor’s role'),
      regions: arrayOf(string(), 'The regions of the actor’s token'),
      niks: integer('Distinct NIKs refused'),
      requests: integer(),
      firstAt: instant(),
      lastAt: instant(),
      lastProgramId: uuid(),
      lastMaskedNik: string(),
    }),
    CoverageProbes: object({ actors: arrayOf(ref('CoverageProbe'), 'Most NIKs first') }),
  },
  operations: {
    'post /api/programs/{id}/enrollments': {
      schema: 'EnrollmentProposed',
      description: 'Proposed',
      example: {
        enrollmentId: ENROLLMENT_ID,
        participantId: PARTICIPANT_ID,
        status: 'proposed',
        consistencyToken: 1042,
      },
    },
    'post /api/enrollments/{id}/approval': {
      schema: 'EnrollmentDecided',
      description: 'Approved',
      example: { enrollmentId: ENROLLMENT_ID, status: 'approved', consistencyToken: 1043 },
    },
    'post /api/enrollments/{id}/rejection': {
      schema: 'EnrollmentDecided',
      description: 'Rejected',
      example: { enrollmentId: ENROLLMENT_ID, status: 'rejected', consistencyToken: 1044 },
    },
    'post /api/enrollments/{id}/deregistration': {
      schema: 'EnrollmentDecided',
      description: 'Deregistered',
      example: { enrollmentId: ENROLLMENT_ID, status: 'deregistered', consistencyToken: 1045 },
    },
    'post /api/enrollments/{id}/correction': {
      schema: 'EnrollmentDecided',
      description: 'Corrected: the coverage now runs over the corrected period',
      example: { enrollmentId: ENROLLMENT_ID, status: 'deregistered', consistencyToken: 1046 },
    },
    'get /api/enrollments/{id}': {
      schema: 'Enrollment',
      description: 'The enrollment',
      example: {
        id: ENROLLMENT_ID,
        programId: '0197a000-0000-7000-8000-0000000000a1',
        programName: 'Perlindungan Pekerja Rentan Muara Enim 2026',
        participantId: PARTICIPANT_ID,
        villageCode: '1603012011',
        occupation: 'perangkat_desa',
        status: 'approved',
        proposedOn: '2026-09-20',
        coverage: { from: '2026-10-01', to: '2026-12-31' },
        endReason: null,
        rejectionReason: null,
        importId: null,
      },
    },
    'get /api/coverage-probes': {
      schema: 'CoverageProbes',
      description: 'Per actor',
      example: {
        actors: [
          {
            actorId: 'operator-embawang',
            role: 'village_operator',
            regions: ['1603012011'],
            niks: 1,
            requests: 1,
            firstAt: '2026-10-02T02:11:05.000Z',
            lastAt: '2026-10-02T02:11:05.000Z',
            lastProgramId: '0197a000-0000-7000-8000-0000000000a1',
            lastMaskedNik: '1303**********01',
          },
        ],
      },
    },
  },
};
