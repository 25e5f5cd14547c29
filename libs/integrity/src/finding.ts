/** What a verification of the log found, one entry per event or checkpoint concerned. */
export type FindingKind =
  | 'altered'
  | 'removed'
  | 'inserted'
  | 'reordered'
  | 'stored-hash'
  | 'revision'
  | 'position'
  | 'checkpoint-signature'
  | 'checkpoint-conflict'
  | 'checkpoint-mismatch';

export interface Finding {
  kind: FindingKind;
  /** Log position of the event concerned, when one is. */
  position?: number;
  streamId?: string;
  revision?: number;
  message: string;
}
