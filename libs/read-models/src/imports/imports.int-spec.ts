import { programsProjection } from '../programs/programs.projection';
import { describeReadModel, type GivenEvent } from '../testing/given-events';
import { OTHER_VILLAGE, PROGRAM, programEstablished, VILLAGE } from '../testing/ledger-events';
import { importsProjection } from './imports.projection';
import { importReportRows, importStatus, importWithOwner } from './imports.query';

const IMPORT = 'f'.repeat(32);
const FAILED = 'e'.repeat(32);

const importEvent = (type: string, data: Record<string, unknown>, importId = IMPORT): GivenEvent => ({
  stream: `import-${importId}`,
  type,
  data: { importId, programId: PROGRAM, ...data },
});
const row = (key: number, villageCode: string | null, accepted: boolean) => ({
  key,
  status: accepted ? 'accepted' : 'rejected',
  reasons: accepted ? [] : [{ rule: 'nik.checksum', message: 'NIK tidak valid' }],
  maskedNik: `1603**********${String(key).padStart(2, '0')}`,
  enrollmentId: accepted ? `e-${key}` : null,
  participantId: null,
  villageCode,
});

const history = [
  programEstablished(),
  importEvent('NominationImportStarted', {
    fileSha256: 'f'.repeat(64),
    fileName: 'embawang.csv',
    format: 'csv',
  }),
  importEvent('NominationRowsRecorded', { rows: [row(2, VILLAGE, true), row(3, OTHER_VILLAGE, false)] }),
  importEvent('NominationRowsRecorded', { rows: [row(4, OTHER_VILLAGE, true), row(5, null, false)] }),
  importEvent('NominationImportCompleted', { total: 4, accepted: 2, rejected: 2 }),
  importEvent(
    'NominationImportStarted',
    { fileSha256: 'e'.repeat(64), fileName: 'x.xlsx', format: 'xlsx' },
    FAILED,
  ),
  importEvent('NominationImportFailed', { rule: 'import.file.encoding', message: 'bukan UTF-8' }, FAILED),
];

const collect = async <T>(rows: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
};

describeReadModel('imports read model', [programsProjection, importsProjection], ({ given }) => {
  it("an import's status and counts, whole or of the caller's villages", async () => {
    const read = await given(...history);
    const found = (await importWithOwner(read, IMPORT))!;
    expect(found.ownerRegion).toBe('1603');
    expect(await importStatus(read, found.row, null)).toEqual({
      importId: IMPORT,
      programId: PROGRAM,
      fileName: 'embawang.csv',
      format: 'csv',
      status: 'completed',
      total: 4,
      accepted: 2,
      rejected: 2,
      failure: null,
      startedAt: '2026-03-02T03:00:00.000Z',
      report: `/api/imports/${IMPORT}/report`,
    });
    expect(await importStatus(read, found.row, [OTHER_VILLAGE])).toMatchObject({
      total: 2,
      accepted: 1,
      rejected: 1,
    });
    const failed = (await importWithOwner(read, FAILED))!;
    expect(await importStatus(read, failed.row, null)).toMatchObject({
      status: 'failed',
      total: 0,
      failure: { rule: 'import.file.encoding', message: 'bukan UTF-8' },
    });
    expect(await importWithOwner(read, 'd'.repeat(32))).toBeUndefined();
  });

  it('the report lists the rows in file order, only those of the scope when scoped', async () => {
    const read = await given(...history);
    const all = await collect(importReportRows(read, IMPORT, null));
    expect(all.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5]);
    expect(all[1]).toEqual({
      rowNumber: 3,
      status: 'rejected',
      reasons: [{ rule: 'nik.checksum', message: 'NIK tidak valid' }],
      maskedNik: '1603**********03',
      enrollmentId: undefined,
    });
    expect((await collect(importReportRows(read, IMPORT, ['160302']))).map((r) => r.rowNumber)).toEqual([
      3, 4,
    ]);
    expect(await collect(importReportRows(read, IMPORT, []))).toEqual([]);
  });
});
