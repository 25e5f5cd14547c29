import { createHash } from 'node:crypto';
import type { TreasuryDocumentKind } from './treasury.events';

/** Stream ids of the treasury; none holds personal data. */
export const treasuryStreams = {
  /** A program's budget lines and SPP → SPM → SP2D of one fiscal year. */
  treasury: (programId: string, fiscalYear: number) => `treasury-${programId}_${fiscalYear}`,
  /** One document number within a regency and year, claimed for ever (hashed: numbers hold slashes). */
  number: (regionCode: string, fiscalYear: number, kind: TreasuryDocumentKind, number: string) =>
    `treasurynumber-${createHash('sha256').update(`${regionCode}|${fiscalYear}|${kind}|${number}`).digest('hex')}`,
};
