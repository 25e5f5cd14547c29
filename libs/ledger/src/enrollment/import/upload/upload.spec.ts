import { specFor } from '../../../shared/decider-spec';
import type { ImportEvent } from '../import.events';
import {
  decideUpload,
  evolveImport,
  initialImportState,
  summaryOf,
  type UploadCommand,
} from './upload.decider';

const given = specFor({ initialState: initialImportState, evolve: evolveImport, decide: decideUpload });

const ids = { importId: 'i1', programId: 'p1' };
const start = (dataRows: number): UploadCommand => ({
  type: 'StartImport',
  ...ids,
  fileSha256: 'ab12',
  fileName: 'usulan.csv',
  format: 'csv',
  dataRows,
});
const started: ImportEvent = {
  type: 'NominationImportStarted',
  data: { ...ids, fileSha256: 'ab12', fileName: 'usulan.csv', format: 'csv' },
};
const row = (key: number, status: 'accepted' | 'rejected') => ({
  key,
  status,
  reasons: [],
  maskedNik: null,
  enrollmentId: status === 'accepted' ? `e${key}` : null,
  participantId: null,
});
const recorded: ImportEvent = {
  type: 'NominationRowsRecorded',
  data: { ...ids, rows: [row(2, 'accepted'), row(3, 'rejected')] },
};

describe('uploading a nomination list', () => {
  it('starts an import of a file that holds rows', () => given([]).when(start(2)).then([started]));

  it('refuses a file with a header and no rows', () =>
    given([]).when(start(0)).thenThrows('import.file.noRows', 'unprocessable'));

  it('a resumed import is started already', () => given([started, recorded]).when(start(2)).then([]));

  it('ends with its totals, or with the failure that stopped it', () => {
    given([started, recorded])
      .when({ type: 'EndImport', ...ids, total: 2, accepted: 1 })
      .then([{ type: 'NominationImportCompleted', data: { ...ids, total: 2, accepted: 1, rejected: 1 } }]);
    const failure = { rule: 'import.file.changed', message: 'Berkas berubah' };
    given([started, recorded])
      .when({ type: 'EndImport', ...ids, total: 2, accepted: 1, failure })
      .then([{ type: 'NominationImportFailed', data: { ...ids, ...failure } }]);
  });

  it('sums up an import that ended, from its rows when it failed', () => {
    const failed: ImportEvent = { type: 'NominationImportFailed', data: { ...ids, rule: 'x', message: 'y' } };
    const state = [started, recorded, failed].reduce(evolveImport, initialImportState());
    expect(summaryOf('i1', 'p1', state, true)).toEqual({
      ...ids,
      status: 'failed',
      total: 2,
      accepted: 1,
      rejected: 1,
      repeated: true,
      failure: { rule: 'x', message: 'y' },
    });
    expect(summaryOf('i1', 'p1', [started].reduce(evolveImport, initialImportState()), false)).toBeNull();
  });
});
