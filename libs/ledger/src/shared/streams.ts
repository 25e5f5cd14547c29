/** Stream ids of the ledger. None contains a NIK or any other personal data. */
export const streams = {
  program: (programId: string) => `program-${programId}`,
  seats: (programId: string) => `seats-${programId}`,
  /** Keyed by the NIK's HMAC: uniqueness without the NIK. */
  nik: (nikKey: string) => `nik-${nikKey}`,
  participant: (participantId: string) => `participant-${participantId}`,
  enrollment: (enrollmentId: string) => `enrollment-${enrollmentId}`,
  nominationImport: (importId: string) => `import-${importId}`,
  baseline: (regionCode: string, year: number) => `baseline-${regionCode}_${year}`,
  /** Keyed by a hash of the actor's id (a token subject may be an e-mail address). */
  coverageProbes: (actorKey: string) => `coverageprobe-${actorKey}`,
  /** The money of one program-month: invoice, roster, payments, refunds, bills, lapses. */
  dues: (programId: string, month: string) => `dues-${programId}_${month}`,
  /** Keyed by a hash of the normalised payment reference: one payment per reference, ever. */
  paymentReference: (referenceKey: string) => `payref-${referenceKey}`,
  /** The non-working days of a year, on which no contribution falls due. */
  calendar: (year: number) => `calendar-${year}`,
  claim: (claimId: string) => `claim-${claimId}`,
  /** One participant's claims: one open claim per kind, one death. */
  claimGuard: (participantId: string) => `claimguard-${participantId}`,
};

/** An event a decider decided, with the stream it belongs to; metadata is the handler's. */
export interface StreamEvent<E extends { type: string; data: unknown } = { type: string; data: unknown }> {
  streamId: string;
  event: E;
}
