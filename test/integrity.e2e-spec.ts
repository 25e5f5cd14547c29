/**
 * Tamper evidence over HTTP: checkpoints signed with the published key, inclusion and
 * consistency proofs that verify against them with the RFC 9162 algorithms, and refusals of
 * bad parameters (400 naming them), of positions outside the tree (404) and of other roles (403).
 */
import { describeIfAvailable } from '@ledger/event-store/conformance/availability';
import { openCheckpoint, parseVerifierKey, verifyConsistency, verifyInclusion } from '@ledger/integrity';
import { startLedgerApp, type LedgerApp, type LedgerMode } from './support/ledger-app';
import { MUARA_ENIM, programBody } from './support/ledger-fixtures';

const b64 = (s: string) => Buffer.from(s, 'base64');

function integritySuite(mode: LedgerMode) {
  let ledger: LedgerApp;
  let auditor: string;

  beforeAll(async () => {
    ledger = await startLedgerApp(mode);
    auditor = await ledger.token('auditor', ['ID'], 'auditor-bpk');
    const admin = await ledger.token('program_admin', [MUARA_ENIM], 'admin-muara-enim');
    for (let i = 0; i < 3; i++) {
      const created = await ledger.post('/api/programs', admin, programBody({ name: `Program ${i}` }), {
        'idempotency-key': `integrity-${i}`,
      });
      expect(created.status).toBe(201);
      if (i === 0) await ledger.runtime.integrity.checkpoint();
    }
    await ledger.runtime.integrity.checkpoint();
  }, 120_000);
  afterAll(() => ledger?.close());

  it('publishes checkpoints signed with the key of GET /api/integrity/public-key', async () => {
    const key = await ledger.get('/api/integrity/public-key', auditor);
    expect(key.status).toBe(200);
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', origin: 'ledger-pekerja-rentan', rotations: [] });
    const verifier = parseVerifierKey(key.body.verifierKey);
    const latest = await ledger.get('/api/integrity/checkpoints/latest', auditor);
    expect(latest.status).toBe(200);
    const opened = openCheckpoint(latest.body.note, verifier);
    expect(opened.ok).toBe(true);
    expect(latest.body.treeSize).toBe((await ledger.runtime.store.readAll()).length);
    const all = await ledger.get('/api/integrity/checkpoints', auditor);
    expect(all.body.checkpoints.map((c: { treeSize: number }) => c.treeSize)).toHaveLength(2);
    const first = all.body.checkpoints[0];
    expect((await ledger.get(`/api/integrity/checkpoints?size=${first.treeSize}`, auditor)).body.note).toBe(
      first.note,
    );
  });

  it('gives inclusion proofs of every event and a consistency proof between the checkpoints', async () => {
    const latest = (await ledger.get('/api/integrity/checkpoints/latest', auditor)).body;
    const root = b64(latest.rootHash);
    for (const event of await ledger.runtime.store.readAll()) {
      const res = await ledger.get(`/api/integrity/proofs/inclusion?position=${event.position}`, auditor);
      expect(res.status).toBe(200);
      expect(res.body.treeSize).toBe(latest.treeSize);
      const refusal = verifyInclusion(
        res.body.leafIndex,
        res.body.treeSize,
        b64(res.body.leafHash),
        res.body.proof.map(b64),
        root,
      );
      expect(refusal).toBeUndefined();
    }
    const first = (await ledger.get('/api/integrity/checkpoints', auditor)).body.checkpoints[0];
    const res = await ledger.get(
      `/api/integrity/proofs/consistency?from=${first.treeSize}&to=${latest.treeSize}`,
      auditor,
    );
    expect(res.status).toBe(200);
    expect(
      verifyConsistency(first.treeSize, latest.treeSize, b64(first.rootHash), root, res.body.proof.map(b64)),
    ).toBeUndefined();
  });

  it('refuses bad parameters with 400 naming them, and what the tree does not hold with 404', async () => {
    const bad = await ledger.get('/api/integrity/proofs/inclusion?position=abc&size=0', auditor);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['position', 'size']);
    const missing = await ledger.get('/api/integrity/proofs/inclusion', auditor);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'position', rule: 'required' })]);
    const order = await ledger.get('/api/integrity/proofs/consistency?from=3&to=3', auditor);
    expect(order.status).toBe(400);
    expect(order.body.errors).toEqual([expect.objectContaining({ field: 'from', rule: 'lessThanTo' })]);
    const beyond = await ledger.get('/api/integrity/proofs/consistency?from=1&to=100000', auditor);
    expect(beyond.status).toBe(404);
    expect(beyond.body.errors[0].field).toBe('to');
    const noEvent = await ledger.get('/api/integrity/proofs/inclusion?position=999999', auditor);
    expect(noEvent.status).toBe(404);
    expect(noEvent.body.errors[0].field).toBe('position');
    const noCheckpoint = await ledger.get('/api/integrity/checkpoints?size=999999', auditor);
    expect(noCheckpoint.status).toBe(404);
    expect(noCheckpoint.body.errors[0].field).toBe('size');
  });

  it('answers auditors and program admins only', async () => {
    for (const role of ['viewer', 'finance', 'village_operator'] as const) {
      const token = await ledger.token(role, role === 'village_operator' ? ['1603010001'] : ['ID']);
      expect((await ledger.get('/api/integrity/checkpoints/latest', token)).status).toBe(403);
    }
    expect((await ledger.get('/api/integrity/public-key')).status).toBe(401);
  });
}

describe('SQLite: tamper evidence over HTTP', () => integritySuite('sqlite'));
describeIfAvailable(
  'PostgreSQL: tamper evidence over HTTP',
  process.env.DATABASE_URL ? undefined : 'DATABASE_URL is not set',
  () => integritySuite('postgres'),
);
