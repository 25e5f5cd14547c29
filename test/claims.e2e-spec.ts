/**
 * Claims over HTTP, once on SQLite and once on PostgreSQL. A covered worker dies: the JKM
 * claim is recorded eligible, goes through documents, submission, approval at Rp42,000,000
 * and payment, and the coverage ends on the day of death (the program's figures drop the next
 * day). A worker who died before their coverage started is recorded with
 * `not_covered_on_event_date`. A second death is refused. Heirs' NIK and account appear only
 * to program_admin and auditor, and to nobody once the participant is erased. Bad input is a
 * problem naming the field and the rule, and writes nothing.
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { addDays, maxDate } from '@ledger/ledger/shared/dates';
import { createPeopleGenerator } from '@ledger/ledger/participants/synthetic-people';
import {
  startLedgerApp,
  todayWib,
  type ApiResponse,
  type LedgerApp,
  type LedgerMode,
} from './support/ledger-app';
import { EMBAWANG, MUARA_ENIM, currentPeriod, programBody, proposal } from './support/ledger-fixtures';

const problemType = (rule: string) => `https://ledger.example.id/problems/${rule}`;

const heir = {
  name: 'Siti Aminah',
  nik: '1603014508850002',
  relationship: 'spouse',
  bankName: 'Bank Sumsel Babel',
  accountNumber: '9876543210123',
  phone: '081234567890',
};
const deathDocuments = (on: string) =>
  ['participant_card', 'id_cards', 'death_certificate', 'family_card', 'heirs_certificate', 'bank_book'].map(
    (type, i) => ({ type, number: `DOC-${i + 1}`, issuedOn: on }),
  );

function claimsSuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let admin: string;
  let finance: string;
  let auditor: string;
  let viewer: string;
  let programId: string;
  const today = todayWib();
  const period = currentPeriod();
  // Inside the program's period even in the first days of January.
  const deathDay = maxDate(addDays(today, -5), period.from);
  const covered = { participantId: '', enrollmentId: '', birthDate: '' };
  const uncovered = { participantId: '', enrollmentId: '' };

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    finance = await ledger.token('finance', [MUARA_ENIM], 'keuangan-muara-enim');
    auditor = await ledger.token('auditor', [MUARA_ENIM], 'auditor-muara-enim');
    viewer = await ledger.token('viewer', [MUARA_ENIM], 'pemantau-muara-enim');
    const program = await ledger.post(
      '/api/programs',
      admin,
      programBody({ name: 'Klaim Muara Enim', period }),
    );
    expect(program.status).toBe(201);
    programId = program.body.programId;
    const people = createPeopleGenerator({ seed: 15, today });
    const enrol = async (coverageFrom: string) => {
      const person = people.next({ villageCode: EMBAWANG, maxAge: 50 });
      const proposed = await ledger.post(`/api/programs/${programId}/enrollments`, admin, proposal(person));
      expect(proposed.status).toBe(201);
      const approved = await ledger.post(`/api/enrollments/${proposed.body.enrollmentId}/approval`, admin, {
        coverageFrom,
      });
      expect(approved.status).toBe(200);
      return { ...proposed.body, birthDate: person.birthDate } as {
        participantId: string;
        enrollmentId: string;
        birthDate: string;
      };
    };
    Object.assign(covered, await enrol(period.from));
    // Starts after the day the figures are compared on, so only the death changes them.
    Object.assign(uncovered, await enrol(addDays(deathDay, 2)));
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
  });

  const head = () => ledger.runtime.store.headPosition();
  async function refused(send: () => Promise<ApiResponse>, status: number, rule: string, field?: string) {
    const before = await head();
    const response = await send();
    expect({ status: response.status, type: response.body?.type }).toEqual({
      status,
      type: problemType(rule),
    });
    if (field)
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(await head()).toBe(before);
    return response;
  }
  const death = (who: { enrollmentId: string }, over: Record<string, unknown> = {}) => ({
    enrollmentId: who.enrollmentId,
    kind: 'JKM',
    benefit: 'death',
    eventDate: deathDay,
    reportedOn: today,
    heirs: [heir],
    ...over,
  });
  const file = (participantId: string, body: Record<string, unknown>) =>
    ledger.post(`/api/participants/${participantId}/claims`, admin, body);

  it('refuses bad input with a problem naming the field, changing nothing', async () => {
    await refused(
      () => file(covered.participantId, death(covered, { eventDate: addDays(today, 1) })),
      422,
      'claim.eventDate.future',
      'eventDate',
    );
    await refused(
      () => file(covered.participantId, death(covered, { eventDate: addDays(covered.birthDate, -1) })),
      422,
      'claim.eventDate.beforeBirth',
      'eventDate',
    );
    await refused(
      () => file('0197a000-0000-7000-8000-0000000000ff', death(covered)),
      404,
      'participant.notFound',
    );
    const { relationship: _r, ...withoutRelationship } = heir;
    await refused(
      () => file(covered.participantId, death(covered, { heirs: [withoutRelationship] })),
      400,
      'request.invalid',
      'heirs.0.relationship',
    );
    await refused(
      () => file(covered.participantId, death(covered, { heirs: [{ ...heir, accountNumber: '12AB34567' }] })),
      400,
      'request.invalid',
      'heirs.0.accountNumber',
    );
    await refused(
      () => file(covered.participantId, death(uncovered)),
      422,
      'claim.enrollment',
      'enrollmentId',
    );
  });

  it('a covered worker’s death: approved at Rp42,000,000, paid, and the coverage ends that day', async () => {
    const filed = await file(covered.participantId, death(covered));
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'filed', eligible: true, reasons: [], coverageEnded: true });
    const claimId = filed.body.claimId as string;
    const step = (path: string, body: Record<string, unknown>, token = admin) =>
      ledger.post(`/api/claims/${claimId}/${path}`, token, body);

    await refused(() => step('submission', {}), 409, 'claim.status');
    await refused(
      () => step('documents', { documents: deathDocuments(deathDay).slice(1) }),
      422,
      'claim.documents.missing',
    );
    expect((await step('documents', { documents: deathDocuments(deathDay) })).body).toMatchObject({
      status: 'documents_complete',
    });
    // A step takes effect on its day, never after the day it is recorded.
    await refused(() => step('submission', { on: addDays(today, 1) }), 422, 'on.future', 'on');
    expect((await step('submission', {})).body).toMatchObject({ status: 'submitted' });
    await refused(() => step('approval', { on: addDays(today, 3) }), 422, 'on.future', 'on');
    expect((await step('approval', {})).body).toMatchObject({ status: 'approved' });
    await refused(() => step('payment', { paidOn: today, reference: 'TRF-1' }, viewer), 403, 'auth.role');
    const paid = await step('payment', { paidOn: today, reference: 'TRF-BPJS-0001' }, finance);
    expect(paid.body).toMatchObject({ status: 'paid' });

    const shown = await ledger.get(`/api/claims/${claimId}`, auditor);
    expect(shown.body).toMatchObject({
      status: 'paid',
      amount: 42_000_000,
      kind: 'JKM',
      eventDate: deathDay,
      heirs: [heir],
      heirsMasked: false,
    });
    expect(shown.body.breakdown.map((l: { amount: number }) => l.amount)).toEqual([
      20_000_000, 12_000_000, 10_000_000,
    ]);
    expect(shown.body.steps.map((s: { type: string }) => s.type)).toEqual([
      'ClaimFiled',
      'ClaimDocumentsCompleted',
      'ClaimSubmitted',
      'ClaimApproved',
      'ClaimPaid',
    ]);
    expect(shown.body.steps[4].actor).toEqual({ id: 'keuangan-muara-enim', role: 'finance' });

    const enrollment = await ledger.get(
      `/api/enrollments/${covered.enrollmentId}?consistentWith=${paid.body.consistencyToken}`,
      admin,
    );
    expect(enrollment.body.status).toBe('deregistered');
    const active = async (date: string) =>
      (
        await ledger.get(
          `/api/programs/${programId}/summary?date=${date}&consistentWith=${paid.body.consistencyToken}`,
          admin,
        )
      ).body.active as number;
    expect((await active(deathDay)) - (await active(addDays(deathDay, 1)))).toBe(1);

    const listed = await ledger.get(
      `/api/claims?region=${MUARA_ENIM}&kind=JKM&status=paid&consistentWith=${paid.body.consistencyToken}`,
      viewer,
    );
    expect(listed.body.claims).toEqual([
      expect.objectContaining({ claimId, status: 'paid', amount: 42_000_000, paidOn: today, eligible: true }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(heir.nik);
    await refused(() => ledger.get('/api/claims?region=1503', viewer), 403, 'auth.scope');
    await refused(
      () => ledger.get(`/api/claims?region=${MUARA_ENIM}&status=lunas`, viewer),
      400,
      'request.invalid',
      'status',
    );

    // A second death of the same person, as JKM or as JKK, is refused.
    await refused(() => file(covered.participantId, death(covered)), 409, 'claim.deathExists');
    await refused(
      () => file(covered.participantId, death(covered, { kind: 'JKK' })),
      409,
      'claim.deathExists',
    );
  });

  it('a worker who died before the coverage started: recorded with not_covered_on_event_date, only rejectable', async () => {
    const filed = await file(uncovered.participantId, death(uncovered));
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      eligible: false,
      reasons: ['not_covered_on_event_date'],
      coverageEnded: false,
    });
    const claimId = filed.body.claimId as string;
    await ledger.post(`/api/claims/${claimId}/documents`, admin, { documents: deathDocuments(deathDay) });
    await ledger.post(`/api/claims/${claimId}/submission`, admin, {});
    await refused(() => ledger.post(`/api/claims/${claimId}/approval`, admin, {}), 409, 'claim.notEligible');
    const rejected = await ledger.post(`/api/claims/${claimId}/rejection`, admin, {
      code: 'not_covered_on_event_date',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected' });
    const enrollment = await ledger.get(
      `/api/enrollments/${uncovered.enrollmentId}?consistentWith=${rejected.body.consistencyToken}`,
      admin,
    );
    expect(enrollment.body.status).toBe('approved');
  });

  it('heirs in full for program_admin and auditor only, masked for others, unreadable after erasure', async () => {
    const claim = await ledger.get(`/api/claims/${await firstClaim()}`, finance);
    expect(claim.status).toBe(200);
    expect(claim.body.heirsMasked).toBe(true);
    const text = JSON.stringify(claim.body);
    expect(text).not.toContain(heir.nik);
    expect(text).not.toContain(heir.accountNumber);
    expect(text).not.toContain(heir.name);
    expect(claim.body.heirs[0]).toMatchObject({ relationship: 'spouse', nik: '1603**********02' });
    const events = JSON.stringify(await ledger.runtime.store.readStream(`claim-${await firstClaim()}`));
    expect(events).not.toContain(heir.nik);
    expect(events).not.toContain(heir.accountNumber);

    const erased = await ledger.post(`/api/participants/${covered.participantId}/erasure`, admin, {
      reason: 'permintaan ahli waris',
    });
    expect(erased.status).toBe(200);
    const after = await ledger.get(`/api/claims/${await firstClaim()}`, auditor);
    expect(after.body).toMatchObject({ heirs: null, heirsErased: true, amount: 42_000_000 });
  });

  it('the audit trail lists each step of the death claim in the worker’s village, approval and payment among the sensitive, no heir in it', async () => {
    const response = await ledger.get(
      `/api/audit?consistentWith=${await head()}&limit=1000&program=${programId}`,
      auditor,
    );
    expect(response.status).toBe(200);
    const entries = response.body.entries as { action: string; regionCode: string | null; detail: unknown }[];
    const claimId = await firstClaim();
    const steps = entries.filter((e) => JSON.stringify(e.detail).includes(claimId)).map((e) => e.action);
    expect(steps).toEqual(expect.arrayContaining(['claim.file', 'claim.approve', 'claim.pay']));
    for (const e of entries.filter((e) => e.action.startsWith('claim.')))
      expect(e.regionCode?.startsWith(MUARA_ENIM)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(heir.nik);
    const sensitive = await ledger.get(
      `/api/audit?consistentWith=${await head()}&limit=1000&program=${programId}&sensitive=true`,
      auditor,
    );
    const actions = (sensitive.body.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['claim.approve', 'claim.pay']));
    expect(actions).not.toContain('claim.file');
  });

  async function firstClaim(): Promise<string> {
    const [guard] = await ledger.runtime.store.readStream(`claimguard-${covered.participantId}`, {
      maxCount: 1,
    });
    return (guard.data as { claimId: string }).claimId;
  }
}

describe('SQLite e2e: claims', () => claimsSuite('sqlite'));
describeIfAvailable(
  'PostgreSQL e2e: claims',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => claimsSuite('postgres'),
);
