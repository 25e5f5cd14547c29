import { nikHmac } from '@ledger/crypto';
import { parseNik, type NikRegions } from '@ledger/ledger/participants/nik';
import {
  evolveNikRegistry,
  initialNikRegistry,
  type NikRegistryEvent,
} from '@ledger/ledger/participants/participant.events';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import type { IsoDate } from '@ledger/ledger/shared/dates';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { streams } from '@ledger/ledger/shared/streams';

/**
 * Finding a person by NIK without the NIK being stored anywhere: the NIK is checked as a
 * proposal checks it, turned into its HMAC key exactly as the proposal keyed the NIK
 * registry, and the registry stream of that key says which participant the NIK names now.
 */

/**
 * The NIK as typed, with the grouping operators use ('1603 0101 9000 0001', '16.03.…')
 * taken out as the list import does; then every rule a proposal applies to it. A refusal
 * names the field and each broken rule, never the NIK.
 */
export function lookupNik(typed: string, regions: NikRegions, today: IsoDate): string {
  const nik = typed.trim().replace(/[\s.]/g, '');
  const parsed = parseNik(nik, regions, today);
  if (parsed.ok) return parsed.value.nik;
  const reasons = parsed.errors.map((e) => ({ field: 'nik', rule: e.rule, message: e.message }));
  throw new RuleViolation(reasons[0].rule, reasons[0].message, 'unprocessable', undefined, reasons);
}

/**
 * The participant the NIK's registry names, or null: a NIK never proposed has no registry,
 * and once its person was erased the registry names nobody until the NIK is proposed again.
 * So an erased person is not found by their NIK, which is what the erasure promised.
 * The stream holds a few events per enrollment of one person: reading it whole is bounded.
 */
export async function participantOfNik(
  deps: Pick<LedgerDeps, 'store' | 'nikHmacKey'>,
  nik: string,
): Promise<string | null> {
  const events = await deps.store.readStream(streams.nik(nikHmac(deps.nikHmacKey, nik)));
  return events.reduce(
    (state, e) => evolveNikRegistry(state, e as unknown as NikRegistryEvent),
    initialNikRegistry(),
  ).participantId;
}
