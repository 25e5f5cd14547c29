import { accountsContract } from './accounts.responses';
import { auditContract } from './audit.responses';
import { bpjsBillContract } from './bpjs-bill.responses';
import { claimsContract } from './claims.responses';
import { contributionsContract } from './contributions.responses';
import { enrollmentsContract } from './enrollments.responses';
import { financeContract } from './finance.responses';
import { importsContract } from './imports.responses';
import { integrityContract } from './integrity.responses';
import { operationsContract } from './operations.responses';
import { participantsContract } from './participants.responses';
import { programsContract } from './programs.responses';
import { reconciliationContract } from './reconciliation.responses';
import { regionsContract } from './regions.responses';
import { statementContract } from './statement.responses';
import { reportsContract } from './reports.responses';
import { treasuryContract } from './treasury.responses';
import type { AreaContract, OperationContract, Schema } from './schema-kit';

/**
 * What each operation answers on success, declared here rather than on the controllers: the
 * answers are the read models' and handlers' own types, and the contract is kept in one
 * place beside them. Keyed by `method path` as the document names them.
 */
const AREAS: AreaContract[] = [
  programsContract,
  regionsContract,
  enrollmentsContract,
  importsContract,
  participantsContract,
  reportsContract,
  financeContract,
  auditContract,
  operationsContract,
  integrityContract,
  accountsContract,
  contributionsContract,
  bpjsBillContract,
  treasuryContract,
  reconciliationContract,
  statementContract,
  claimsContract,
];

export const RESPONSE_SCHEMAS: Record<string, Schema> = Object.assign({}, ...AREAS.map((a) => a.schemas));

export const OPERATION_RESPONSES: Record<string, OperationContract> = Object.assign(
  {},
  ...AREAS.map((a) => a.operations),
);
