/** How a refusal reads to the caller; the HTTP layer maps it to a status and nothing else. */
export type RefusalKind = 'conflict' | 'unprocessable' | 'not_found' | 'forbidden';

/** One broken rule, naming the field it concerns when there is one. */
export interface Reason {
  field?: string;
  rule: string;
  message: string;
}

/**
 * A command broke a business rule. Deciders throw it with its kind: a conflict with the
 * ledger's current state (quota full, already covered), a request that can never succeed as
 * given (age cap, region outside the program), something that does not exist, or a caller
 * outside their scope.
 */
export class RuleViolation extends Error {
  constructor(
    /** Stable id of the rule, e.g. `enrollment.quota`. */
    readonly rule: string,
    message: string,
    readonly kind: RefusalKind = 'unprocessable',
    readonly details?: Record<string, unknown>,
    /** Every broken rule when there were several (a proposal's row); the first is `rule`. */
    readonly reasons?: Reason[],
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}
