import { END_REASONS } from '@ledger/ledger/enrollment/enrollment.events';
import { ENROLLMENT_STATUSES } from './enrollments.responses';
import {
  arrayOf,
  boolean,
  date,
  FORMAT_PARAMETER,
  instant,
  integer,
  mapOf,
  nullable,
  object,
  oneOf,
  ref,
  SHEET_PARAMETER,
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

const PARTICIPANT_ID = '0197a000-0000-7000-8000-0000000000f1';
const ENROLLMENT_ID = '0197a000-0000-7000-8000-0000000000e1';
const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';
/** As a program admin sees a person: masked. */
const MASKED = { nik: '1603**********01', name: 'S*** A*****', birthDate: '1990-**-**', phone: '0812******' };

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
            endReason: nullable(oneOf(END_REASONS)),
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
        claims: arrayOf(
          ref('HistoryClaim'),
          'The person’s JKM and JKK claims with their steps, never the heirs',
        ),
        deathReport: nullable(ref('HistoryDeathReport')),
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
        contributions: ref('ContributionMonths'),
      },
      ['asOf', 'contributions'],
    ),
    NikLookup: object(
      {
        participants: arrayOf(
          ref('Participant'),
          'The person the NIK names, when the token covers their village; empty otherwise (unknown, erased or ' +
            'outside the scope all answer alike)',
        ),
      },
      [],
      'A NIK lookup',
    ),
    ParticipantErased: written({ participantId: uuid(), erased: boolean('Always true') }),
  },
  operations: {
    'get /api/participants/{id}': {
      schema: 'Participant',
      description: 'The participant',
      example: {
        id: PARTICIPANT_ID,
        status: 'active',
        personal: MASKED,
        sex: 'P',
        birthYear: 1990,
        villageCode: '1603012011',
        occupation: 'perangkat_desa',
        erasedOn: null,
        enrollments: [
          {
            enrollmentId: ENROLLMENT_ID,
            programId: PROGRAM_ID,
            status: 'approved',
            coverageFrom: '2026-10-01',
            endedOn: null,
            endReason: null,
          },
        ],
      },
    },
    'post /api/participants/lookup': {
      schema: 'NikLookup',
      description: 'The participant(s) found',
      example: {
        participants: [
          {
            id: PARTICIPANT_ID,
            status: 'active',
            personal: MASKED,
            sex: 'P',
            birthYear: 1990,
            villageCode: '1603012011',
            occupation: 'perangkat_desa',
            erasedOn: null,
            enrollments: [
              {
                enrollmentId: ENROLLMENT_ID,
                programId: PROGRAM_ID,
                status: 'approved',
                coverageFrom: '2026-10-01',
                endedOn: null,
                endReason: null,
              },
            ],
          },
        ],
      },
    },
    'get /api/participants/{id}/history': {
      schema: 'ParticipantHistory',
      description: 'Every event about the person; with `asOf` their coverage that day',
      spreadsheets: true,
      query: [FORMAT_PARAMETER, SHEET_PARAMETER],
      example: {
        participant: {
          id: PARTICIPANT_ID,
          status: 'active',
          personal: MASKED,
          sex: 'P',
          birthYear: 1990,
          villageCode: '1603012011',
        },
        events: [
          {
            position: 1201,
            occurredAt: '2026-10-01T02:00:00.000Z',
            recordedAt: '2026-10-01T02:00:00.012Z',
            type: 'EnrollmentApproved',
            streamId: `enrollment-${ENROLLMENT_ID}`,
            actor: { id: 'admin-muara-enim', role: 'program_admin' },
            correlationId: '3f0c4a52-7c1e-4d2b-9a41-0e5b7f3d2c10',
            causationId: '3f0c4a52-7c1e-4d2b-9a41-0e5b7f3d2c10',
            importId: null,
            enrollmentId: ENROLLMENT_ID,
            programId: PROGRAM_ID,
            details: { coverageFrom: '2026-10-01' },
          },
        ],
        claims: [],
        deathReport: null,
        asOf: {
          date: '2026-11-30',
          enrollments: [
            {
              enrollmentId: ENROLLMENT_ID,
              programId: PROGRAM_ID,
              programName: 'Perlindungan Pekerja Rentan Muara Enim 2026',
              status: 'active',
              coverage: { from: '2026-10-01', to: '2026-12-31' },
            },
          ],
        },
        contributions: {
          asOf: '2026-11-30',
          months: [
            {
              month: '2026-10',
              programId: PROGRAM_ID,
              enrollmentId: ENROLLMENT_ID,
              invoiceId: `${PROGRAM_ID}_2026-10`,
              line: 0,
              amount: 16_800,
              paid: 16_800,
              state: 'paid',
              dueDate: '2026-10-15',
            },
          ],
        },
      },
    },
    'post /api/participants/{id}/erasure': {
      schema: 'ParticipantErased',
      description: 'Erased (again: nothing changes)',
      example: {
        participantId: PARTICIPANT_ID,
        erased: true,
        consistencyToken: 3001,
      },
    },
  },
};
