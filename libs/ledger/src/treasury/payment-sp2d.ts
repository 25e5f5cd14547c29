import type { LedgerDeps } from '../shared/command.deps';
import { expectedFor } from '../shared/command.deps';
import type { IsoDate } from '../shared/dates';
import { fieldRefusal } from '../contributions/refusal';
import type { StreamEvent } from '../shared/streams';
import type { TreasuryEvent, TreasuryNumberEvent } from './treasury.events';
import { loadTreasury } from './treasury.load';
import { normaliseNumber } from './treasury.state';
import { treasuryStreams } from './treasury.streams';

/** The SP2D a payment names, as found in the treasury of the payer's region. */
export interface NamedSp2d {
  number: string;
  programId: string;
  fiscalYear: number;
  cancelled: boolean;
  /** The revision of the treasury stream it lives on, for the payment's write. */
  revision: number;
}

/**
 * Finds an SP2D number in the region's treasury: its guard stream says which program's
 * treasury holds it. The year of the payment is looked at first, then the invoice month's
 * (a December bill paid in January may carry the December SP2D).
 */
export async function findNamedSp2d(
  deps: Pick<LedgerDeps, 'store'>,
  regionCode: string,
  years: number[],
  sp2dNumber: string,
): Promise<NamedSp2d | null> {
  const number = normaliseNumber(sp2dNumber);
  for (const fiscalYear of [...new Set(years)]) {
    const [claimed] = await deps.store.readStream(
      treasuryStreams.number(regionCode, fiscalYear, 'sp2d', number),
      { maxCount: 1 },
    );
    if (!claimed) continue;
    const { programId } = claimed.data as TreasuryNumberEvent['data'];
    const { state, revision } = await loadTreasury(deps, programId, fiscalYear);
    const sp2d = state.sp2d.get(number);
    if (!sp2d) continue;
    return { number, programId, fiscalYear, cancelled: sp2d.cancelled !== null, revision };
  }
  return null;
}

/** The expected revision of the named SP2D's treasury stream in the payment's write. */
export const namedSp2dExpected = (found: NamedSp2d) => expectedFor(found.revision);

/**
 * A payment may name the SP2D that paid it: an SP2D recorded in the payer's region in the
 * payment's (or the invoice month's) year and not cancelled. The payment is then noted on the
 * SP2D's treasury stream in the same write.
 */
export function decideNamedSp2d(
  requested: string,
  found: NamedSp2d | null,
  payment: { invoiceId: string; paymentId: string; amount: number; paidOn: IsoDate },
): StreamEvent<TreasuryEvent>[] {
  const number = normaliseNumber(requested);
  if (number.length === 0)
    throw fieldRefusal('sp2dNumber', 'sp2dNumber.required', 'sp2dNumber tidak boleh kosong');
  if (!found) {
    throw fieldRefusal(
      'sp2dNumber',
      'payment.sp2d.unknown',
      `SP2D ${number} tidak tercatat di kas daerah pembayar pada tahun pembayaran`,
    );
  }
  if (found.cancelled) {
    throw fieldRefusal('sp2dNumber', 'payment.sp2d.cancelled', `SP2D ${number} sudah dibatalkan`, 'conflict');
  }
  return [
    {
      streamId: treasuryStreams.treasury(found.programId, found.fiscalYear),
      event: {
        type: 'Sp2dNamedByPayment',
        data: {
          programId: found.programId,
          fiscalYear: found.fiscalYear,
          sp2dNumber: found.number,
          ...payment,
        },
      },
    },
  ];
}
