import { bucketAt, knownBuckets, knownRanges, type KnownBuckets } from './coverage-known.projection';

/** The log positions a bucket range [from, to) of `known_bucket` holds. */
function positionsOf([from, to]: [string, string], b: KnownBuckets): [number, number] {
  const level = Number(from[0]);
  expect(to[0]).toBe(from[0]);
  const width = b.widths[level];
  return [Number(from.slice(1)) * width, Number(to.slice(1)) * width];
}

describe('coverage_known buckets', () => {
  it.each([
    ['SQLite and PostgreSQL', knownBuckets('postgres')],
    ['KurrentDB', knownBuckets('kurrentdb')],
    ['a spec', { widths: [2, 4, 8] }],
  ])('%s: the ranges tile the log before the position’s own bucket, each position once', (_, b) => {
    const [finest, , top] = b.widths;
    const positions = [0, 1, finest - 1, finest, finest + 1, top - 1, top, top + 1, 7 * top + 3 * finest + 5];
    for (let p = 0; p < 3 * top; p += Math.max(1, Math.floor(top / 97))) positions.push(p);
    for (const position of positions) {
      const { ranges, partialFrom } = knownRanges(position, b);
      expect(partialFrom).toBe(Math.floor(position / finest) * finest);
      expect(position - partialFrom).toBeLessThan(finest);
      // Contiguous from 0 to partialFrom, in order, without overlap.
      let next = 0;
      for (const range of ranges) {
        const [from, to] = positionsOf(range, b);
        expect({ position, from }).toEqual({ position, from: next });
        expect(to).toBeGreaterThan(from);
        // Below the top level, fewer buckets than the next level up holds.
        const level = Number(range[0][0]);
        if (level < b.widths.length - 1) {
          expect((to - from) / b.widths[level]).toBeLessThan(b.widths[level + 1] / b.widths[level]);
        }
        next = to;
      }
      expect({ position, end: next }).toEqual({ position, end: partialFrom });
    }
  });

  it('bucket texts sort as their numbers do, level by level', () => {
    const b = knownBuckets('sqlite');
    const texts = [0, 255, 256, 4095, 4096, 65_535, 65_536, 2 ** 40].map((p) => bucketAt(p, b, 0));
    expect([...texts].sort()).toEqual(texts);
    expect(new Set(texts.map((t) => t.length)).size).toBe(1);
    expect(bucketAt(70_000, b, 2)).toBe(`2${'1'.padStart(16, '0')}`);
  });
});
