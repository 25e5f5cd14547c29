import type { RegionDirectory } from '@ledger/ledger/regions/region-directory';
import { InvalidQuery } from '../params';

/** `?region=` of the program list: absent, or a code the directory knows. */
export function programRegionParam(regions: RegionDirectory, region: string | undefined): string | undefined {
  if (region !== undefined && !regions.has(region))
    throw new InvalidQuery(
      [{ field: 'region', rule: 'region.unknown', message: 'kode wilayah tidak terdaftar' }],
      'Kode wilayah tidak terdaftar',
    );
  return region;
}
