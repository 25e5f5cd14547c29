import { HttpStatus } from '@nestjs/common';
import type { RosterSource } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { ProblemException } from '@ledger/platform/http/problem';
import { rosterOf } from '@ledger/read-models/contributions/roster.query';
import type { Ledger } from '../shared/ledger.providers';

/**
 * The roster an invoice freezes: the enrollments read model once it has applied everything
 * the log held when the request came (its head), so every coverage recorded before the
 * request is on it. The invoice records that position.
 */
export function rosterSource(ledger: Ledger): RosterSource {
  return async (question) => {
    const { runtime } = ledger;
    const head = await runtime.store.headPosition();
    const reached = await runtime.runner.waitFor(['enrollments'], head, runtime.config.consistencyTimeoutMs);
    if (!reached) {
      throw new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'consistency.timeout',
        'Model baca kepesertaan belum mencapai ujung log; coba lagi',
        { consistentWith: head },
      );
    }
    return { enrollmentIds: await rosterOf(ledger.read, question), position: head };
  };
}
