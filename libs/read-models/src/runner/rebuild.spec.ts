import type { Projection } from './projection';
import { splitByCost } from './rebuild';

const projection = (name: string) =>
  ({ kind: 'custom', name, version: 1, handles: [], tables: [] }) as unknown as Projection;
const names = (parts: Projection[][]) => parts.map((part) => part.map((p) => p.name));

describe('a rebuild split over two threads', () => {
  const group = ['audit', 'enrollments', 'participants', 'coverage', 'imports', 'programs'].map(projection);

  it('balances the costs the last rebuild measured, costliest first', () => {
    const costs = new Map(
      Object.entries({ audit: 36, enrollments: 21, participants: 10, coverage: 9, imports: 4, programs: 1 }),
    );
    expect(names(splitByCost(group, costs))).toEqual([
      ['audit', 'imports', 'programs'], // 41
      ['enrollments', 'participants', 'coverage'], // 40
    ]);
  });

  it('counts a read model never rebuilt as the average of the others', () => {
    const costs = new Map(Object.entries({ audit: 30, enrollments: 10 }));
    // The four unknown ones weigh 20 each: 60 on either side.
    const [mine, theirs] = splitByCost(group, costs);
    expect(names([mine, theirs])).toEqual([
      ['audit', 'imports', 'enrollments'],
      ['participants', 'coverage', 'programs'],
    ]);
  });

  it('splits by number when nothing was measured yet', () => {
    expect(names(splitByCost(group, new Map()))).toEqual([
      ['audit', 'participants', 'imports'],
      ['enrollments', 'coverage', 'programs'],
    ]);
  });
});
