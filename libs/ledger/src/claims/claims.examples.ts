import type { SealedPersonalData } from '../participants/participant.events';
import type { ClaimEvent, Heir } from './claim.events';
import type { FileClaim } from './file/file-claim.decider';

export const heir: Heir = {
  name: 'Siti Aminah',
  nik: '1603014508850002',
  relationship: 'spouse',
  bankName: 'Bank Sumsel Babel',
  accountNumber: '1234567890',
  phone: null,
};

export const sealed: SealedPersonalData = { v: 1, kid: 'k', iv: 'iv', ct: 'ct', tag: 'tag' };

/** A death on 2026-03-10 of a worker covered since 2026-01-01, March paid, reported the same week. */
export const filing = (over: Partial<FileClaim> = {}): FileClaim => ({
  type: 'FileClaim',
  claimId: 'c1',
  participantId: 'u1',
  enrollmentId: 'e1',
  programId: 'p1',
  ownerRegion: '1603',
  villageCode: '1603012001',
  kind: 'JKM',
  benefit: 'death',
  eventDate: '2026-03-10',
  reportedOn: '2026-03-12',
  heirs: [heir],
  documents: [],
  declaredIncome: 1_000_000,
  birthDate: '1980-05-05',
  today: '2026-03-15',
  facts: {
    coverage: { from: '2026-01-01', to: '2026-12-31' },
    contribution: { paid: true, graceEnd: '2026-06-15' },
    reportingWindowDays: 30,
  },
  seal: () => sealed,
  ...over,
});

export const filedEvent = (
  over: Partial<Extract<ClaimEvent, { type: 'ClaimFiled' }>['data']> = {},
): ClaimEvent => ({
  type: 'ClaimFiled',
  data: {
    claimId: 'c1',
    participantId: 'u1',
    enrollmentId: 'e1',
    programId: 'p1',
    ownerRegion: '1603',
    villageCode: '1603012001',
    kind: 'JKM',
    benefit: 'death',
    eventDate: '2026-03-10',
    reportedOn: '2026-03-12',
    heirs: sealed,
    heirCount: 1,
    childHeirCount: 0,
    documents: [],
    eligible: true,
    reasons: [],
    coverageFrom: '2026-01-01',
    declaredIncome: 1_000_000,
    ...over,
  },
});

export const rule = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { rule?: string }).rule;
  }
  return undefined;
};

const doc = (type: string) => ({ type, number: `${type}-1`, issuedOn: '2026-03-11' }) as never;

/** The checklist of a JKM death, complete. */
export const deathDocuments = [
  'participant_card',
  'id_cards',
  'death_certificate',
  'family_card',
  'heirs_certificate',
  'bank_book',
].map(doc);

export const documentsCompleted: ClaimEvent = {
  type: 'ClaimDocumentsCompleted',
  data: { claimId: 'c1', documents: deathDocuments, completedOn: '2026-03-13' },
};

export const claimSubmitted: ClaimEvent = {
  type: 'ClaimSubmitted',
  data: { claimId: 'c1', submittedOn: '2026-03-14' },
};
