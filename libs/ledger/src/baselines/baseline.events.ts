/** Coverage denominators, recorded as events so an auditor sees who set them and from what source. */
export interface WorkforceBaseline {
  regionCode: string;
  year: number;
  workingPopulation: number;
  informalWorkers: number | null;
  vulnerableWorkers: number | null;
  source: string;
}

/**
 * The BPJS Ketenagakerjaan participants of a region that no program of this ledger pays for,
 * as BPJS counted them on a day (`asOf`): wage earners (PU) and non-wage earners (BPU) the
 * ledger never sees. The region's UCJ adds them to the ledger's own program-funded
 * participants, so the figure must exclude those: a BPJS total that includes them would be
 * counted twice. A dated figure of its own rather than a field of the yearly baseline, since
 * BPJS reports per region and date, several times a year; the latest on or before a report's
 * date applies, and setting the same region and day again replaces that day's figure.
 */
export interface OutsideParticipants {
  regionCode: string;
  asOf: string;
  participants: number;
  source: string;
}

export type BaselineEvent =
  | { type: 'WorkforceBaselineSet'; data: WorkforceBaseline }
  | { type: 'OutsideParticipantsSet'; data: OutsideParticipants };
