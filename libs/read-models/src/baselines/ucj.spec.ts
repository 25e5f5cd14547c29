import { ucjOf } from './ucj';

const outside = {
  participants: 66_225,
  asOf: '2025-11-30',
  source: 'BPJS Ketenagakerjaan Cabang Muara Enim, laporan 2025-11-30',
  setBy: 'admin',
  setAt: '2026-12-01T03:00:00.000Z',
};
const baseline = {
  year: 2025,
  workingPopulation: 211_000,
  informalWorkers: null,
  vulnerableWorkers: null,
  source: 'BPS Sakernas Agustus 2025',
};

describe('UCJ of a region', () => {
  it('Muara Enim as the news reported it: 26,775 funded + 66,225 outside = 93,000 of 211,000 = 44.08%', () => {
    expect(ucjOf('Kabupaten Muara Enim', '2025-11-30', 26_775, outside, baseline)).toEqual({
      percent: 44.08,
      participants: 93_000,
      funded: {
        participants: 26_775,
        date: '2025-11-30',
        source: 'Ledger ini: peserta aktif program daerah per 2025-11-30',
      },
      outside,
      workingPopulation: { count: 211_000, year: 2025, source: 'BPS Sakernas Agustus 2025' },
      missing: [],
      note: null,
    });
  });

  it('null with the missing parts named, never a percent of the ledger’s part alone', () => {
    expect(ucjOf('X', '2025-11-30', 26_775, null, baseline)).toMatchObject({
      percent: null,
      participants: null,
      missing: ['outsideParticipants'],
    });
    expect(ucjOf('X', '2025-11-30', 26_775, outside, null)).toMatchObject({
      percent: null,
      participants: 93_000,
      workingPopulation: null,
      missing: ['workingPopulation'],
      note: 'Belum ada data penduduk bekerja untuk X tahun 2025; UCJ tidak dihitung',
    });
    // A denominator of 0 is no denominator.
    expect(
      ucjOf('X', '2025-11-30', 0, { ...outside, participants: 0 }, { ...baseline, workingPopulation: 0 }),
    ).toMatchObject({
      percent: null,
      missing: ['workingPopulation'],
    });
  });

  it('more participants than workers still computes, and warns of a double count', () => {
    const ucj = ucjOf('X', '2025-11-30', 26_775, { ...outside, participants: 190_000 }, baseline);
    expect(ucj.percent).toBe(102.74);
    expect(ucj.note).toContain('terhitung dua kali');
  });
});
