import { createHash } from 'node:crypto';
import type { IsoDate } from '../../shared/dates';

/** The three amounts of a reconciliation, as the statement froze them. */
export interface StatementFigures {
  roster: number;
  billed: number;
  disbursed: number;
}

/** An open difference at signing: its code, month, invoice, SP2Ds and rupiah. */
export interface StatementLine {
  code: string;
  month: string;
  invoiceId: string | null;
  sp2dNumbers: string[];
  amount: number;
}

/**
 * Who signed for the payer: the office held (jabatan). The person is the account that
 * recorded the event (its metadata's actor); their name is written by hand on the printed
 * berita acara, never here, as no real person's name belongs in the log.
 */
export interface StatementSigner {
  position: string;
}

/**
 * Berita acara rekonsiliasi: a finance officer of the program's region signs off a payer's
 * month or year, freezing its three amounts and its open differences as read at
 * `readPosition`. A period has one statement in force; signing it again needs a reason and
 * supersedes the one before, which stays on record.
 */
export interface StatementEvent {
  type: 'ReconciliationStatementSigned';
  data: {
    statementId: string;
    programId: string;
    ownerRegion: string;
    /** The payer narrowed to; null for every payer of the program. */
    payer: string | null;
    /** YYYY-MM or YYYY. */
    period: string;
    signedOn: IsoDate;
    signer: StatementSigner;
    /** The other party's office or institution, usually the BPJS Ketenagakerjaan branch; null if none signs. */
    counterparty: string | null;
    figures: StatementFigures;
    lines: StatementLine[];
    /** The log position the figures were read at. */
    readPosition: number;
    supersedes: string | null;
    reason: string | null;
  };
}

/** One stream per program, payer and period: "one statement in force" is decided on it. */
export const statementStream = (programId: string, payer: string | null, period: string) =>
  `reconstatement-${createHash('sha256')
    .update(`${programId}|${payer ?? ''}|${period}`)
    .digest('hex')}`;
