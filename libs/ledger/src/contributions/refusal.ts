import { RuleViolation, type RefusalKind } from '../shared/rule-violation';

/** A refusal that names the request field it concerns, in `errors` as the validation pipe does. */
export function fieldRefusal(
  field: string,
  rule: string,
  message: string,
  kind: RefusalKind = 'unprocessable',
  details: Record<string, unknown> = {},
): RuleViolation {
  return new RuleViolation(rule, message, kind, { field, ...details }, [{ field, rule, message }]);
}
