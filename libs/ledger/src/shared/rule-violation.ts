/**
 * A command broke a business rule. Deciders throw it; the HTTP layer answers 409
 * (a conflict with the ledger's current state: quota full, already covered) or 422
 * (the request can never succeed as given: age cap, region outside the program).
 */
export class RuleViolation extends Error {
  constructor(
    /** Stable id of the rule, e.g. `enrollment.quota`. */
    readonly rule: string,
    message: string,
    readonly kind: 'conflict' | 'unprocessable' | 'not_found' | 'forbidden' = 'unprocessable',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'RuleViolation';
  }
}
