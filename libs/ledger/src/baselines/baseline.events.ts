/** Coverage denominators, recorded as events so an auditor sees who set them and from what source. */
export interface WorkforceBaseline {
  regionCode: string;
  year: number;
  workingPopulation: number;
  informalWorkers: number | null;
  vulnerableWorkers: number | null;
  source: string;
}

export type BaselineEvent = { type: 'WorkforceBaselineSet'; data: WorkforceBaseline };
