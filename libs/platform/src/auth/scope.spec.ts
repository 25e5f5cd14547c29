import { ProblemException } from '../http/problem';
import { regions } from '@ledger/ledger/regions/region-directory';
import type { Principal } from './principal';
import { assertCovers, covers, scopeFilter } from './scope';

// Real codes from the shipped directory: Sumatera Selatan (16) › Muara Enim (1603) ›
// Tanjung Agung (160301) › Embawang (1603012011); elsewhere: Aceh (11), 1101012001.
const directory = regions();
const who = (role: Principal['role'], ...codes: string[]): Principal => ({ id: 't', role, regions: codes });

describe('covers', () => {
  it('national scope covers every region, known or not', () => {
    const national = who('auditor', 'ID');
    for (const code of ['11', '1603', '160301', '1603012011', '1101012001', '99']) {
      expect(covers(national, code, directory)).toBe(true);
    }
  });

  it('a region covers itself and everything below it, nothing beside or above it', () => {
    const regency = who('program_admin', '1603');
    expect(covers(regency, '1603', directory)).toBe(true);
    expect(covers(regency, '160301', directory)).toBe(true);
    expect(covers(regency, '1603012011', directory)).toBe(true);
    expect(covers(regency, '16', directory)).toBe(false);
    expect(covers(regency, '1604', directory)).toBe(false);
    expect(covers(regency, '1604012001', directory)).toBe(false);
    expect(covers(regency, 'ID', directory)).toBe(false);
    expect(covers(regency, '', directory)).toBe(false);
  });

  it('a prefix that is not an ancestor does not count: unknown codes are never covered regionally', () => {
    expect(covers(who('viewer', '1603'), '160399', directory)).toBe(false);
    expect(covers(who('viewer', '16'), '1699', directory)).toBe(false);
  });

  it('any one of several regions is enough', () => {
    const two = who('finance', '11', '1603');
    expect(covers(two, '1101012001', directory)).toBe(true);
    expect(covers(two, '1603012011', directory)).toBe(true);
    expect(covers(two, '1604', directory)).toBe(false);
  });

  it('a village operator covers only their villages', () => {
    const operator = who('village_operator', '1603012011');
    expect(covers(operator, '1603012011', directory)).toBe(true);
    expect(covers(operator, '1603012012', directory)).toBe(false);
    expect(covers(operator, '160301', directory)).toBe(false);
  });

  it('no regions covers nothing', () => {
    expect(covers(who('viewer'), '16', directory)).toBe(false);
  });
});

describe('assertCovers', () => {
  it('passes in scope and answers 403 auth.scope naming the region otherwise', () => {
    expect(() => assertCovers(who('viewer', '16'), '1603', directory)).not.toThrow();
    let thrown: unknown;
    try {
      assertCovers(who('viewer', '16'), '1101', directory);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(403);
    expect((thrown as ProblemException).getResponse()).toMatchObject({
      type: expect.stringMatching(/\/auth\.scope$/),
      title: 'Wilayah di luar cakupan token',
      status: 403,
      region: '1101',
    });
  });
});

describe('scopeFilter', () => {
  it('national scope is the empty prefix', () => {
    expect(scopeFilter(who('auditor', 'ID'))).toEqual(['']);
    expect(scopeFilter(who('auditor', '16', 'ID'))).toEqual(['']);
  });

  it('keeps the widest codes, without duplicates', () => {
    expect(scopeFilter(who('viewer', '1603012011', '1603', '16', '11', '1603'))).toEqual(['11', '16']);
    expect(scopeFilter(who('viewer', '1603', '1604'))).toEqual(['1603', '1604']);
  });

  it('keeps every village of a village operator', () => {
    expect(scopeFilter(who('village_operator', '1603012012', '1603012011'))).toEqual([
      '1603012011',
      '1603012012',
    ]);
  });

  it('no regions is no prefixes — which must read as "no rows"', () => {
    expect(scopeFilter(who('viewer'))).toEqual([]);
  });
});
