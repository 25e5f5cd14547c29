/**
 * Occupations of vulnerable workers named by regional programs (DOMAIN.md). The code is
 * what events and read models store; the label is what village operators read and write.
 */
export const OCCUPATIONS = {
  petani: 'Petani',
  petani_sawit: 'Petani Sawit',
  nelayan: 'Nelayan',
  ojek: 'Pengemudi Ojek',
  buruh_bangunan: 'Buruh Bangunan',
  buruh_harian_lepas: 'Buruh Harian Lepas',
  pedagang_kecil: 'Pedagang Kecil',
  kepala_desa: 'Kepala Desa',
  perangkat_desa: 'Perangkat Desa',
  bpd: 'Anggota BPD',
  linmas: 'Linmas',
  ketua_rt_rw: 'Ketua RT/RW',
  guru_ngaji: 'Guru Ngaji',
  marbot: 'Marbot',
  pengurus_jenazah: 'Pengurus Jenazah',
  petugas_pemilu: 'Petugas Ad Hoc Pemilu',
  lainnya: 'Lainnya',
} as const;

export type Occupation = keyof typeof OCCUPATIONS;

export const OCCUPATION_CODES = Object.keys(OCCUPATIONS) as Occupation[];

export function isOccupation(value: unknown): value is Occupation {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(OCCUPATIONS, value);
}
