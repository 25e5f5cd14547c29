import {
  CLAIM_BENEFITS,
  CLAIM_KINDS,
  DOCUMENT_TYPES,
  HEIR_RELATIONSHIPS,
} from '@ledger/ledger/claims/claim.events';
import {
  arrayOf,
  boolean,
  date,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  rupiah,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/** Claims: JKM and JKK claims of a participant, their steps, heirs and amounts. */

const CLAIM_ID = '0197a000-0000-7000-8000-0000000000f1';
const STATUSES = ['filed', 'documents_complete', 'submitted', 'approved', 'rejected', 'paid', 'withdrawn'];
const REASONS = ['not_covered_on_event_date', 'contribution_unpaid', 'reported_late'];
const regulation = 'PP 82/2019 (perubahan PP 44/2015), berlaku 2019-12-02';

const STEP_STATUS: Record<string, string> = {
  documents: 'documents_complete',
  submission: 'submitted',
  approval: 'approved',
  rejection: 'rejected',
  payment: 'paid',
  withdrawal: 'withdrawn',
  reopening: 'filed',
};

const documents = [{ type: 'death_certificate', number: '1603-KM-10032026-0001', issuedOn: '2026-03-11' }];

export const claimsContract: AreaContract = {
  schemas: {
    ClaimFiled: written({
      claimId: uuid(),
      status: oneOf(['filed']),
      eligible: boolean('false when a rule failed: the claim is recorded with its reasons'),
      reasons: arrayOf(oneOf(REASONS)),
      coverageEnded: boolean('A death of a covered participant ended the enrollment on the date of death'),
    }),
    ClaimStepWritten: written({ claimId: uuid(), status: oneOf(STATUSES) }),
    ClaimDocument: object({ type: oneOf(DOCUMENT_TYPES), number: string(), issuedOn: date() }),
    ClaimHeir: object({
      name: string('Masked (first letter) for roles other than program_admin and auditor'),
      nik: string('Masked (1603**********02) for roles other than program_admin and auditor'),
      relationship: oneOf(HEIR_RELATIONSHIPS),
      bankName: string(),
      accountNumber: string('Masked (****123) for roles other than program_admin and auditor'),
      phone: nullable(string()),
    }),
    BenefitLine: object({
      component: string('lump_sum, periodic, funeral, approved_by_bpjs'),
      amount: rupiah(),
      regulation: string('The rule row the amount comes from and the day it applies from'),
    }),
    ClaimStep: object(
      {
        type: string('ClaimFiled, ClaimDocumentsCompleted, ClaimSubmitted, ClaimApproved, ...'),
        recordedAt: instant(),
        actor: nullable(object({ id: string(), role: string() })),
        data: object({}),
      },
      ['data'],
    ),
    ClaimListItem: object({
      claimId: uuid(),
      participantId: uuid(),
      programId: uuid(),
      villageCode: string(),
      kind: oneOf(CLAIM_KINDS),
      benefit: oneOf(CLAIM_BENEFITS),
      status: oneOf(STATUSES),
      eventDate: date(),
      reportedOn: date(),
      eligible: boolean(),
      reasons: arrayOf(oneOf(REASONS)),
      amount: nullable(rupiah('Approved amount')),
      paidOn: nullable(date()),
    }),
    ClaimList: object({
      claims: arrayOf(ref('ClaimListItem')),
      page: object({ offset: integer(), limit: integer(), total: integer('Claims matching the filter') }),
    }),
    Claim: object({
      claimId: uuid(),
      participantId: uuid(),
      enrollmentId: uuid(),
      programId: uuid(),
      ownerRegion: string(),
      villageCode: string(),
      kind: oneOf(CLAIM_KINDS),
      benefit: oneOf(CLAIM_BENEFITS),
      eventDate: date('Date of death or of the accident'),
      reportedOn: date(),
      heirCount: integer(),
      childHeirCount: integer(),
      documents: arrayOf(ref('ClaimDocument')),
      requiredDocuments: arrayOf(oneOf(DOCUMENT_TYPES)),
      eligible: boolean(),
      reasons: arrayOf(oneOf(REASONS)),
      coverageFrom: nullable(date()),
      declaredIncome: rupiah(),
      status: oneOf(STATUSES),
      reopenings: integer(),
      heirs: nullable(arrayOf(ref('ClaimHeir'), 'null once the participant was erased')),
      heirsMasked: boolean(),
      heirsErased: boolean(),
      amount: nullable(rupiah('Approved amount')),
      breakdown: arrayOf(ref('BenefitLine')),
      educationBenefitChildren: integer('Children entitled to the education benefit (at most two)'),
      steps: arrayOf(ref('ClaimStep')),
    }),
  },
  operations: {
    'post /api/participants/{id}/claims': {
      schema: 'ClaimFiled',
      status: '201',
      description: 'Recorded, eligible or with its reasons',
      example: {
        claimId: CLAIM_ID,
        status: 'filed',
        eligible: true,
        reasons: [],
        coverageEnded: true,
        consistencyToken: 90_001,
      },
    },
    'get /api/claims': {
      schema: 'ClaimList',
      description: 'One page of the claims',
      example: {
        claims: [
          {
            claimId: CLAIM_ID,
            participantId: '0197a000-0000-7000-8000-0000000000b1',
            programId: '0197a000-0000-7000-8000-0000000000a1',
            villageCode: '1603012011',
            kind: 'JKM',
            benefit: 'death',
            status: 'paid',
            eventDate: '2026-03-10',
            reportedOn: '2026-03-12',
            eligible: true,
            reasons: [],
            amount: 42_000_000,
            paidOn: '2026-03-20',
          },
        ],
        page: { offset: 0, limit: 100, total: 1 },
      },
    },
    'get /api/claims/{id}': {
      schema: 'Claim',
      description: 'The claim with its steps',
      example: {
        claimId: CLAIM_ID,
        participantId: '0197a000-0000-7000-8000-0000000000b1',
        enrollmentId: '0197a000-0000-7000-8000-0000000000b2',
        programId: '0197a000-0000-7000-8000-0000000000a1',
        ownerRegion: '1603',
        villageCode: '1603012011',
        kind: 'JKM',
        benefit: 'death',
        eventDate: '2026-03-10',
        reportedOn: '2026-03-12',
        heirCount: 1,
        childHeirCount: 0,
        documents,
        requiredDocuments: [
          'participant_card',
          'id_cards',
          'death_certificate',
          'family_card',
          'heirs_certificate',
          'bank_book',
        ],
        eligible: true,
        reasons: [],
        coverageFrom: '2026-01-01',
        declaredIncome: 1_000_000,
        status: 'paid',
        reopenings: 0,
        heirs: [
          {
            name: 'S***',
            nik: '1603**********02',
            relationship: 'spouse',
            bankName: 'Bank Sumsel Babel',
            accountNumber: '****123',
            phone: null,
          },
        ],
        heirsMasked: true,
        heirsErased: false,
        amount: 42_000_000,
        breakdown: [
          { component: 'lump_sum', amount: 20_000_000, regulation },
          { component: 'periodic', amount: 12_000_000, regulation },
          { component: 'funeral', amount: 10_000_000, regulation },
        ],
        educationBenefitChildren: 0,
        steps: [
          {
            type: 'ClaimFiled',
            recordedAt: '2026-03-12T03:00:00.000Z',
            actor: { id: 'admin-muara-enim', role: 'program_admin' },
          },
          {
            type: 'ClaimPaid',
            recordedAt: '2026-03-20T03:00:00.000Z',
            actor: { id: 'keuangan-muara-enim', role: 'finance' },
            data: { paidOn: '2026-03-20', reference: 'TRF-BPJS-0001', amount: 42_000_000 },
          },
        ],
      },
    },
    ...Object.fromEntries(
      ['documents', 'submission', 'approval', 'rejection', 'payment', 'withdrawal', 'reopening'].map(
        (step) => [
          `post /api/claims/{id}/${step}`,
          {
            schema: 'ClaimStepWritten',
            description: 'Recorded',
            example: { claimId: CLAIM_ID, status: STEP_STATUS[step], consistencyToken: 90_002 },
          },
        ],
      ),
    ),
  },
};
