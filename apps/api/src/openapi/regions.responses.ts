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
