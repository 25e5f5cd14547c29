import {
  arrayOf,
  instant,
  integer,
  nullable,
  object,
  oneOf,
  ref,
  string,
  written,
  type AreaContract,
} from './schema-kit';

/** Regions of the Kemendagri directory and their workforce baselines (the coverage denominators). */

const LEVELS = ['national', 'province', 'regency', 'district', 'village'];
const KINDS = ['nasional', 'provinsi', 'kabupaten', 'kota', 'kecamatan', 'desa', 'kelurahan', 'desa_adat'];

export const regionsContract: AreaContract = {
  schemas: {
    RegionRef: object({ code: string(), name: string(), level: oneOf(LEVELS) }),
    Population: object({ male: integer(), female: integer(), total: integer() }),
    Region: object({
      code: string('Kode wilayah; ID for the country', '1603'),
      name: string(),
      level: oneOf(LEVELS),
      kind: oneOf(KINDS),
      parents: arrayOf(ref('RegionRef'), 'From the region above up to the province'),
      childrenCount: integer('Regions one level below'),
      population: nullable(ref('Population')),
    }),
    Baseline: object({
      regionCode: string(),
      year: integer(),
      workingPopulation: integer('Penduduk bekerja'),
      informalWorkers: nullable(integer('Pekerja informal')),
      vulnerableWorkers: nullable(integer('Pekerja rentan')),
      source: string(),
      setBy: string('The actor who set it'),
      setAt: instant(),
    }),
    RegionBaselines: object({
      regionCode: string(),
      baselines: arrayOf(ref('Baseline'), 'Oldest year first'),
    }),
    BaselineWritten: written({ regionCode: string(), year: integer() }),
    OutsideFigure: object({
      participants: integer(
        'BPJS Ketenagakerjaan participants of the region NOT funded by the ledger’s programs',
      ),
      asOf: string('The day BPJS counted them', '2026-11-30'),
      source: string(),
      setBy: string('The actor who set it'),
      setAt: instant(),
      settings: integer('How many times this day’s figure was set (a correction makes it more than 1)'),
    }),
    RegionOutsideParticipants: object({
      regionCode: string(),
      figures: arrayOf(ref('OutsideFigure'), 'One a day, oldest first: the figure last set for that day'),
    }),
    OutsideParticipantsWritten: written({ regionCode: string(), asOf: string() }),
  },
  operations: {
    'get /api/regions/{code}': {
      schema: 'Region',
      description: 'The region',
      example: {
        code: '1603',
        name: 'Kabupaten Muara Enim',
        level: 'regency',
        kind: 'kabupaten',
        parents: [{ code: '16', name: 'Sumatera Selatan', level: 'province' }],
        childrenCount: 22,
        population: { male: 320_000, female: 310_000, total: 630_000 },
      },
    },
    'put /api/regions/{code}/baselines/{year}': {
      schema: 'BaselineWritten',
      description: 'Set',
      example: { regionCode: '1603', year: 2026, consistencyToken: 1042 },
    },
    'put /api/regions/{code}/outside-participants/{date}': {
      schema: 'OutsideParticipantsWritten',
      description: 'Set',
      example: { regionCode: '1603', asOf: '2026-11-30', consistencyToken: 1043 },
    },
    'get /api/regions/{code}/outside-participants': {
      schema: 'RegionOutsideParticipants',
      description: 'Every day’s figure of participants recorded outside the ledger',
      example: {
        regionCode: '1603',
        figures: [
          {
            participants: 66_225,
            asOf: '2026-11-30',
            source: 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan 2026-11-30',
            setBy: 'admin-muara-enim',
            setAt: '2026-12-01T02:00:00.000Z',
            settings: 1,
          },
        ],
      },
    },
    'get /api/regions/{code}/baselines': {
      schema: 'RegionBaselines',
      description: 'Every year’s baseline',
      example: {
        regionCode: '1603',
        baselines: [
          {
            regionCode: '1603',
            year: 2026,
            workingPopulation: 93_000,
            informalWorkers: 60_000,
            vulnerableWorkers: 48_838,
            source: 'BPS Sakernas Agustus 2025',
            setBy: 'admin-muara-enim',
            setAt: '2026-09-10T01:30:00.000Z',
          },
        ],
      },
    },
  },
};
