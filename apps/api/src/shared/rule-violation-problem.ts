import { HttpStatus } from '@nestjs/common';
import { RuleViolation } from '@ledger/ledger/shared/rule-violation';
import { problemType, type ProblemBody } from '@ledger/platform/http/problem';

const RULE_STATUS: Record<RuleViolation['kind'], number> = {
  conflict: HttpStatus.CONFLICT,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
};

/**
 * A broken business rule as problem details, its status from the kind of refusal. Handed to
 * the platform's ProblemDetailsFilter, which knows HTTP but not the domain's errors.
 */
export function ruleViolationProblem(error: unknown): ProblemBody | undefined {
  if (!(error instanceof RuleViolation)) return undefined;
  // Details first: they can never override the fields RFC 9457 defines.
  return {
    ...(error.details ?? {}),
    type: problemType(error.rule),
    title: error.message,
    status: RULE_STATUS[error.kind],
    rule: error.rule,
    errors: error.reasons ?? [{ rule: error.rule, message: error.message }],
  };
}
