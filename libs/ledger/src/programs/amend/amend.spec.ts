import { specFor } from '../../shared/decider-spec';
import { established } from '../program.examples';
import type { ProgramEvent } from '../program.events';
import { initialProgramState, evolveProgram } from '../program.state';
import { decideAmendment } from './amend.decider';

const given = specFor({ initialState: initialProgramState, evolve: evolveProgram, decide: decideAmendment });

describe('amending a program', () => {
  it('amends the quota, never below the seats in use', () => {
    given([established])
      .when({ type: 'AmendProgramQuota', quota: 30_000, reason: 'APBD-P', seatsInUse: 26_000 })
      .then([{ type: 'ProgramQuotaAmended', data: { programId: 'p1', quota: 30_000, reason: 'APBD-P' } }]);
    given([established])
      .when({ type: 'AmendProgramQuota', quota: 10, reason: null, seatsInUse: 11 })
      .thenThrows('program.quota.belowUse');
  });

  it('amends the period', () =>
    given([established])
      .when({ type: 'AmendProgramPeriod', period: { from: '2026-10-01', to: '2027-03-31' }, reason: null })
      .then([
        {
          type: 'ProgramPeriodAmended',
          data: { programId: 'p1', period: { from: '2026-10-01', to: '2027-03-31' }, reason: null },
        },
      ]));

  it('a closed program accepts nothing', () => {
    const closed: ProgramEvent = {
      type: 'ProgramClosed',
      data: { programId: 'p1', closedOn: '2026-11-30', reason: null },
    };
    given([established, closed])
      .when({ type: 'AmendProgramQuota', quota: 1, reason: null, seatsInUse: 0 })
      .thenThrows('program.closed');
    given([established, closed])
      .when({ type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.closed');
  });

  it('an unknown program is not found', () =>
    given([])
      .when({ type: 'CloseProgram', closedOn: '2026-12-01', reason: null })
      .thenThrows('program.notFound'));
});
