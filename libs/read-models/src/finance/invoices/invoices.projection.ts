import type { RecordedEvent } from '@ledger/event-store';
import type {
  Allocation,
  CoverageLapsedEvent,
  CoverageReinstatedEvent,
  DuesEvent,
} from '@ledger/ledger/contributions/contribution.events';
import { firstDayOf, monthOf } from '@ledger/ledger/contributions/obligation';
import type { EnrollmentEvent } from '@ledger/ledger/enrollment/enrollment.events';
import type { CustomProjection } from '../../runner/projection';
import {
  financeCandidatesTable,
  financeDeltasTable,
  financeEndedTable,
  financeInvoicesTable,
  financeLinesTable,
  invoiceParts,
  toInvoiceRow,
  type FinanceDeltaRow,
  type FinanceEndedRow,
  type FinanceInvoiceRow,
} from './invoices.tables';

// The tables live beside the projection; their names stay importable from here.
export * from './invoices.tables';

type FinanceEvent =
  | DuesEvent
  | CoverageLapsedEvent
  | CoverageReinstatedEvent
  | Extract<EnrollmentEvent, { type: 'EnrollmentDeregistered' | 'EnrollmentCorrected' }>;

const maxDay = (a: string, b: string) => (a > b ? a : b);

function withAllocation(row: FinanceInvoiceRow, allocation: Allocation): FinanceInvoiceRow {
  return {
    ...row,
    paid: allocation.paidAfter,
    fully_paid_lines: allocation.fullyPaidLines,
    partial_line: allocation.partialLine?.line ?? null,
    partial_amount: allocation.partialLine?.amount ?? 0,
    overpaid: allocation.overpaid,
  };
}

/**
 * The finance read model: invoices, their lines, and day-deltas of every amount by effective
 * date. A line's paid state is never stored per line: it follows from the invoice's
 * allocation (lines in order, cancelled ones skipped), so a payment writes one invoice row
 * however many lines it pays.
 */
export const financeProjection: CustomProjection = {
  kind: 'custom',
  name: 'finance',
  version: 5,
  handles: [
    'InvoiceIssued',
    'InvoiceLinesFrozen',
    'InvoiceAdjusted',
    'InvoiceCancelled',
    'PaymentRecorded',
    'RefundRecorded',
    'BpjsBillRecorded',
    'CoverageLapsed',
    'CoverageReinstated',
    'EnrollmentDeregistered',
    'EnrollmentCorrected',
  ],
  tables: [
    financeInvoicesTable,
    financeLinesTable,
    financeDeltasTable,
    financeEndedTable,
    financeCandidatesTable,
  ],
  async apply(events: RecordedEvent[], trx, table, writes) {
    const invoices = new Map<string, FinanceInvoiceRow>();
    const wanted = new Set<string>();
    for (const recorded of events) {
      const invoiceId = (recorded.data as { invoiceId?: string }).invoiceId;
      if (invoiceId !== undefined && recorded.type !== 'InvoiceIssued') wanted.add(invoiceId);
    }
    for (const row of await writes.selectByKeys(table(financeInvoicesTable.name), 'invoice_id', [...wanted]))
      invoices.set(String(row.invoice_id), toInvoiceRow(row));

    const deltas = new Map<string, FinanceDeltaRow>();
    // The position of the event being applied: every delta and line mark it makes carries it.
    let position = 0;
    const addDelta = (
      programId: string,
      month: string,
      invoiceId: string,
      measure: string,
      day: string,
      delta: number,
    ) => {
      if (delta === 0) return;
      const key = `${programId}|${month}|${invoiceId}|${measure}|${day}|${position}`;
      const found = deltas.get(key);
      if (found) found.delta += delta;
      else
        deltas.set(key, {
          program_id: programId,
          month,
          invoice_id: invoiceId,
          measure,
          day,
          position,
          delta,
        });
    };
    const add = (invoiceId: string, measure: string, day: string, delta: number) => {
      const { programId, month } = invoiceParts(invoiceId);
      addDelta(programId, month, invoiceId, measure, day, delta);
    };
    const lines = table(financeLinesTable.name);
    const markLines = async (
      invoiceId: string,
      which: number[],
      column: 'cancelled_on' | 'refunded_on',
      day: string,
    ) => {
      for (let i = 0; i < which.length; i += 500) {
        await trx
          .updateTable(lines)
          .set({
            [column]: day,
            [column === 'cancelled_on' ? 'cancelled_position' : 'refunded_position']: position,
          })
          .where('invoice_id', '=', invoiceId)
          .where('line', 'in', which.slice(i, i + 500))
          .execute();
      }
    };

    const ended = table(financeEndedTable.name);
    const candidates = table(financeCandidatesTable.name);
    /** The coverage's end as it now stands, and its candidate lines drawn again. */
    const setEnd = async (end: FinanceEndedRow | { enrollment_id: string; ended_on: null }) => {
      await writes.deleteByKeys(candidates, 'enrollment_id', [end.enrollment_id]);
      if (end.ended_on === null) {
        await writes.deleteByKeys(ended, 'enrollment_id', [end.enrollment_id]);
        return;
      }
      await writes.upsert(ended, financeEndedTable, [end]);
      // Its lines are on its program's invoices of the months from its end on: those stored,
      // and those of this batch (written at its end).
      const endMonth = monthOf(end.ended_on);
      const stored = await trx
        .selectFrom(table(financeInvoicesTable.name))
        .select('invoice_id')
        .where('program_id', '=', end.program_id)
        .where('month', '>=', endMonth)
        .limit(10_000)
        .execute();
      const invoiceIds = new Set(stored.map((r) => String(r.invoice_id)));
      for (const invoice of invoices.values())
        if (invoice.program_id === end.program_id && invoice.month >= endMonth)
          invoiceIds.add(invoice.invoice_id);
      if (invoiceIds.size === 0) return;
      const rows = await trx
        .selectFrom(lines)
        .select(['invoice_id', 'line'])
        .where('invoice_id', 'in', [...invoiceIds])
        .where('enrollment_id', '=', end.enrollment_id)
        .limit(10_000)
        .execute();
      await writes.upsert(
        candidates,
        financeCandidatesTable,
        rows.map((r) => ({
          invoice_id: r.invoice_id,
          line: Number(r.line),
          enrollment_id: end.enrollment_id,
        })),
      );
    };

    for (const recorded of events) {
      position = recorded.position;
      const event = recorded as unknown as FinanceEvent;
      if (event.type === 'EnrollmentDeregistered') {
        const d = event.data;
        await setEnd({
          enrollment_id: d.enrollmentId,
          program_id: d.programId,
          coverage_from: d.coverageFrom,
          ended_on: d.effectiveDate,
          end_reason: d.reason,
        });
        continue;
      }
      if (event.type === 'EnrollmentCorrected') {
        const d = event.data;
        const [known] = await writes.selectByKeys(ended, 'enrollment_id', [d.enrollmentId]);
        await setEnd(
          d.endedOn === null
            ? { enrollment_id: d.enrollmentId, ended_on: null }
            : {
                enrollment_id: d.enrollmentId,
                program_id: d.programId,
                coverage_from: d.coverageFrom,
                ended_on: d.endedOn,
                end_reason: known ? String(known.end_reason) : 'corrected',
              },
        );
        continue;
      }
      if (event.type === 'CoverageLapsed' || event.type === 'CoverageReinstated') {
        // A reinstatement takes the lapse back on the day it counted, as if it never held.
        const d = event.data;
        const lapsedOn =
          event.type === 'CoverageLapsed' ? event.data.effectiveDate : event.data.previous.endedOn;
        await setEnd(
          event.type === 'CoverageLapsed'
            ? {
                enrollment_id: d.enrollmentId,
                program_id: d.programId,
                coverage_from: d.coverageFrom,
                ended_on: lapsedOn,
                end_reason: 'lapsed',
              }
            : { enrollment_id: d.enrollmentId, ended_on: null },
        );
        addDelta(
          d.programId,
          monthOf(lapsedOn),
          '',
          'lapsed',
          lapsedOn,
          event.type === 'CoverageLapsed' ? 1 : -1,
        );
        continue;
      }
      if (event.type === 'InvoiceIssued') {
        const d = event.data;
        const reissued = d.invoiceId.split('_').length > 2;
        const monthStart = firstDayOf(d.month);
        const effective = reissued || d.issuedOn < monthStart ? d.issuedOn : monthStart;
        invoices.set(d.invoiceId, {
          invoice_id: d.invoiceId,
          program_id: d.programId,
          month: d.month,
          payer: d.payer,
          owner_region: d.ownerRegion,
          line_amount: d.lineAmount,
          due_date: d.dueDate,
          month_rule: d.monthRule,
          issued_on: d.issuedOn,
          effective_on: effective,
          cancelled_on: null,
          line_count: d.lineCount,
          active_lines: d.lineCount,
          total: d.totalAmount,
          paid: 0,
          fully_paid_lines: 0,
          partial_line: null,
          partial_amount: 0,
          overpaid: 0,
          refunded: 0,
          refunded_lines: 0,
          overpaid_refunded: 0,
          billed_amount: null,
          billed_version: null,
          settled_on: effective,
          updated_position: recorded.position,
          issued_position: recorded.position,
        });
        add(d.invoiceId, 'issued', effective, 1);
        add(d.invoiceId, 'total', effective, d.totalAmount);
        add(d.invoiceId, 'lines', effective, d.lineCount);
        continue;
      }
      const invoice = invoices.get(event.data.invoiceId);
      // Events of an invoice this model never saw issued (none exist in a consistent log).
      if (!invoice) continue;
      let next: FinanceInvoiceRow = { ...invoice, updated_position: recorded.position };
      switch (event.type) {
        case 'InvoiceLinesFrozen': {
          const d = event.data;
          await writes.upsert(
            lines,
            financeLinesTable,
            d.enrollmentIds.map((enrollmentId, i) => ({
              invoice_id: d.invoiceId,
              line: d.fromLine + i,
              enrollment_id: enrollmentId,
              cancelled_on: null,
              refunded_on: null,
              cancelled_position: null,
              refunded_position: null,
            })),
          );
          // A coverage that had ended already may still be on a roster frozen later (a
          // migration, a late report): its line is a candidate from the start.
          const month = invoiceParts(d.invoiceId).month;
          const endedBefore = await writes.selectByKeys(ended, 'enrollment_id', d.enrollmentIds);
          const endOf = new Map(endedBefore.map((r) => [String(r.enrollment_id), String(r.ended_on)]));
          await writes.upsert(
            candidates,
            financeCandidatesTable,
            d.enrollmentIds.flatMap((enrollmentId, i) => {
              const end = endOf.get(enrollmentId);
              return end !== undefined && month >= monthOf(end)
                ? [{ invoice_id: d.invoiceId, line: d.fromLine + i, enrollment_id: enrollmentId }]
                : [];
            }),
          );
          break;
        }
        case 'InvoiceAdjusted': {
          const d = event.data;
          await markLines(d.invoiceId, d.cancelledLines, 'cancelled_on', d.adjustedOn);
          add(d.invoiceId, 'total', d.adjustedOn, d.totalAfter - invoice.total);
          add(d.invoiceId, 'lines', d.adjustedOn, d.lineCountAfter - invoice.active_lines);
          next = {
            ...next,
            line_count: invoice.line_count + d.addedLines,
            active_lines: d.lineCountAfter,
            total: d.totalAfter,
            settled_on: maxDay(invoice.settled_on, d.adjustedOn),
          };
          // A payment made before the adjustment is allocated again over the lines after it.
          const reallocated = (d as { allocation?: Allocation }).allocation;
          if (reallocated) next = withAllocation(next, reallocated);
          break;
        }
        case 'InvoiceCancelled': {
          const d = event.data;
          add(d.invoiceId, 'issued', d.cancelledOn, -1);
          add(d.invoiceId, 'total', d.cancelledOn, -invoice.total);
          add(d.invoiceId, 'lines', d.cancelledOn, -invoice.active_lines);
          next = {
            ...next,
            cancelled_on: d.cancelledOn,
            settled_on: maxDay(invoice.settled_on, d.cancelledOn),
          };
          break;
        }
        case 'PaymentRecorded': {
          const d = event.data;
          add(d.invoiceId, 'paid', d.paidOn, d.amount);
          next = { ...withAllocation(next, d.allocation), settled_on: maxDay(invoice.settled_on, d.paidOn) };
          break;
        }
        case 'RefundRecorded': {
          const d = event.data;
          await markLines(d.invoiceId, d.lines, 'refunded_on', d.agreedOn);
          add(d.invoiceId, 'refunded', d.agreedOn, d.amount);
          add(d.invoiceId, 'overpaid_refunded', d.agreedOn, d.overpaidRefunded);
          next = {
            ...next,
            refunded: invoice.refunded + d.amount,
            refunded_lines: invoice.refunded_lines + d.lines.length,
            overpaid_refunded: invoice.overpaid_refunded + d.overpaidRefunded,
          };
          break;
        }
        case 'BpjsBillRecorded': {
          // The latest bill replaces the earlier ones: the figure moves by the difference on
          // the day it was received, and `bills` tells whether any had been by a day.
          const d = event.data;
          if (invoice.billed_version !== null && invoice.billed_version >= d.version) break;
          add(d.invoiceId, 'billed', d.receivedOn, d.billed.amount - (invoice.billed_amount ?? 0));
          if (invoice.billed_version === null) add(d.invoiceId, 'bills', d.receivedOn, 1);
          next = { ...next, billed_amount: d.billed.amount, billed_version: d.version };
          break;
        }
        default:
          break;
      }
      invoices.set(next.invoice_id, next);
    }

    await writes.upsert(table(financeInvoicesTable.name), financeInvoicesTable, [...invoices.values()]);
    const deltasName = table(financeDeltasTable.name);
    await writes.upsert(
      deltasName,
      financeDeltasTable,
      [...deltas.values()],
      `ON CONFLICT (${financeDeltasTable.primaryKey.join(', ')}) DO UPDATE SET delta = ${deltasName}.delta + excluded.delta`,
    );
  },
};
