import {
  arrayOf,
  boolean,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  queryParameter,
  ref,
  string,
  uuid,
  written,
  type AreaContract,
} from './schema-kit';

/**
 * Nomination lists (usulan BNBA): the upload's summary (`ImportSummary`), the import's status
 * (`importStatus`), its row-by-row report and the approval of a whole list.
 */

const IMPORT_ID = '5d0c2b9e8f1a4c3b9e7d6a5f4e3d2c1b';
const PROGRAM_ID = '0197a000-0000-7000-8000-0000000000a1';

const rule = object({ rule: string('The rule refused', 'nik.checksum'), message: string() });

export const importsContract: AreaContract = {
  schemas: {
    ImportFailure: object(
      { rule: string(), message: string() },
      [],
      'Why the list stopped being read (the rows before it stay recorded)',
    ),
    ImportSummary: written(
      {
        importId: string('32 hexadecimal characters: the same file for the same program has the same id'),
        programId: uuid(),
        status: oneOf(['completed', 'failed']),
        total: integer('Data rows read'),
        accepted: integer(),
        rejected: integer(),
        repeated: boolean('This file had been imported before: nothing changed'),
        failure: ref('ImportFailure'),
        report: string('Where the row-by-row report is', `/api/imports/${IMPORT_ID}/report`),
      },
      ['failure'],
    ),
    ImportStatus: object({
      importId: string(),
      programId: uuid(),
      fileName: string(),
      format: string('csv or xlsx'),
      status: oneOf(['running', 'completed', 'failed']),
      total: integer('Rows in the caller’s scope'),
      accepted: integer(),
      rejected: integer(),
      failure: nullable(ref('ImportFailure')),
      startedAt: instant(),
      report: string(),
    }),
    ImportReportRow: object(
      {
        rowNumber: integer('Row number in the file as a spreadsheet shows it (header = 1)'),
        status: oneOf(['accepted', 'rejected']),
        reasons: arrayOf(rule, 'Every rule the row broke (empty when accepted)'),
        maskedNik: string('The NIK masked, when the row had a readable one'),
        enrollmentId: uuid('When accepted'),
      },
      ['maskedNik', 'enrollmentId'],
    ),
    ImportReport: object({ importId: string(), rows: arrayOf(ref('ImportReportRow'), 'In file order') }),
    ImportApproval: written({
      approved: integer('Enrollments approved now'),
      refused: arrayOf(
        object({ enrollmentId: uuid(), rule: string(), message: string() }),
        'Rows that could not be approved (age cap at the chosen start, erased participant)',
      ),
    }),
  },
  operations: {
    'post /api/programs/{id}/enrollments/import': {
      schema: 'ImportSummary',
      description: 'Read to the end (completed) or stopped by an unreadable part (failed)',
      example: {
        importId: IMPORT_ID,
        programId: PROGRAM_ID,
        status: 'completed',
        total: 100,
        accepted: 97,
        rejected: 3,
        repeated: false,
        report: `/api/imports/${IMPORT_ID}/report`,
        consistencyToken: 2210,
      },
    },
    'get /api/imports/{id}': {
      schema: 'ImportStatus',
      description: 'The import',
      example: {
        importId: IMPORT_ID,
        programId: PROGRAM_ID,
        fileName: 'usulan-embawang.xlsx',
        format: 'xlsx',
        status: 'completed',
        total: 100,
        accepted: 97,
        rejected: 3,
        failure: null,
        startedAt: '2026-09-20T03:12:44.301Z',
        report: `/api/imports/${IMPORT_ID}/report`,
      },
    },
    'get /api/imports/{id}/report': {
      schema: 'ImportReport',
      description: 'The rows in the caller’s scope: CSV by default, JSON or XLSX by `format`',
      example: {
        importId: IMPORT_ID,
        rows: [
          {
            rowNumber: 2,
            status: 'accepted',
            reasons: [],
            maskedNik: '1603**********01',
            enrollmentId: '0197a000-0000-7000-8000-0000000000e1',
          },
          {
            rowNumber: 3,
            status: 'rejected',
            reasons: [{ rule: 'nik.checksum', message: 'NIK tidak valid' }],
            maskedNik: '1603**********07',
          },
        ],
      },
      spreadsheets: true,
      query: [
        queryParameter('format', 'csv (default), json or xlsx', {
          type: 'string',
          enum: ['csv', 'json', 'xlsx'],
        }),
      ],
    },
    'post /api/imports/{id}/approval': {
      schema: 'ImportApproval',
      description: 'Every still-proposed enrollment of the list',
      example: { approved: 97, refused: [], consistencyToken: 2390 },
    },
  },
};
