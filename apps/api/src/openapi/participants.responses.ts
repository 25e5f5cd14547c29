import { DEREGISTRATION_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import { ENROLLMENT_STATUSES } from './enrollments.responses';
import {
  arrayOf,
  date,
  instant,
  integer,
  mapOf,
  nullable,
  object,
  oneOf,
  ref,
  string,
  uuid,
  written,
  type AreaContract,
  type Schema,
} from './schema-kit';

/**
 * A participant as a role may see them (`personalView`: in full for auditors, masked for the
 * others, `erased` after erasure), their history read from the log, and the erasure.
 */

const PARTICIPANT_STATUSES = ['active', 'deceased', 'erased'];
const COVERAGE_ON = ['none', 'proposed', 'approved-not-yet-started', 'active', 'ended', 'rejected'];

const participantStatus: Record<string, Schema> = {
  status: oneOf(PARTICIPANT_STATUSES),
  deceasedOn: date('With a coverage ended for death: its last day'),
};

export const participantsContract: AreaContract = {
  schemas: {
    PersonalData: object(
      {
        nik: string('Masked for every role but auditor', '1603**********01'),
        name: string('Masked to initials for every role but auditor', 'S*** A*****'),
        birthDate: string('YYYY-MM-DD, or YYYY-**-** masked', '1990-**-**'),
        phone: nullable(string()),
      },
      [],
      'Personal fields, opened with the person’s key',
    ),
    PersonalView: {
      description:
        'The personal fields as the token’s role may see them, or `erased` once the key is destroyed',
      oneOf: [ref('PersonalData'), oneOf(['erased'])],
    },
    Participant: object(
      {
        id: uuid(),
        ...participantStatus,
        personal: ref('PersonalView'),
        sex: oneOf(['L', 'P']),
        birthYear: integer(),
        villageCode: string(),
        occupation: string(),
        erasedOn: nullable(date()),
        enrollments: arrayOf(
          object({
            enrollmentId: uuid(),
            programId: uuid(),
            status: oneOf(ENROLLMENT_STATUSES),
            coverageFrom: nullable(date()),
            endedOn: nullable(date()),
            endReason: nullable(oneOf(DEREGISTRATION_REASONS)),
          }),
          'The enrollments recorded in the token’s regions, in the order proposed',
        ),
      },
      ['deceasedOn'],
    ),
    HistoryEvent: object(
      {
        position: integer('Log position'),
        occurredAt: instant(),
        recordedAt: instant(),
        type: string('Event type', 'EnrollmentApproved'),
        streamId: string(),
        actor: object({ id: nullable(string()), role: nullable(string()) }),
        correlationId: nullable(string()),
        causationId: nullable(string()),
        importId: nullable(string()),
        enrollmentId: nullable(uuid()),
        programId: nullable(uuid()),
        details: mapOf({}, 'The event’s facts, never personal data'),
      },
      [],
      'One event about the person',
    ),
    ParticipantHistory: object(
      {
        participant: object(
          {
            id: uuid(),
            ...participantStatus,
            personal: ref('PersonalView'),
            sex: oneOf(['L', 'P']),
            birthYear: integer(),
            villageCode: string(),
          },
          ['deceasedOn'],
        ),
        events: arrayOf(ref('HistoryEvent'), 'In log order'),
        asOf: object({
          date: date(),
          enrollments: arrayOf(
            object({
              enrollmentId: uuid(),
              programId: uuid(),
              programName: nullable(string()),
              status: oneOf(COVERAGE_ON),
              coverage: nullable(ref('Period')),
            }),
          ),
        }),
      },
      ['asOf'],
    ),
    ParticipantErased: written({ participantId: uuid(), erased: { type: 'boolean', enum: [true] } }),
  },
  operations: {
    'get /api/participants/{id}': { schema: 'Participant', description: 'The participant' },
    'get /api/participants/{id}/history': {
      schema: 'ParticipantHistory',
      description: 'Every event about the person; with `asOf` their coverage that day',
      spreadsheets: true,
    },
    'post /api/participants/{id}/erasure': {
      schema: 'ParticipantErased',
      description: 'Erased (again: nothing changes)',
      example: {
        participantId: '0197a000-0000-7000-8000-0000000000f1',
        erased: true,
        consistencyToken: 3001,
      },
    },
  },
};
