import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { ProblemException } from '@ledger/platform/http/problem';
import { intParam, uuidParam } from '@ledger/platform/http/validation';
import { adjustInvoice } from '@ledger/ledger/contributions/adjust-invoice/adjust-invoice.handler';
import { cancelInvoice } from '@ledger/ledger/contributions/cancel-invoice/cancel-invoice.handler';
import { loadDues, loadInvoice, loadNonWorkingDays } from '@ledger/ledger/contributions/dues.load';
import { invoiceView } from '@ledger/ledger/contributions/invoice.view';
import { issueInvoice } from '@ledger/ledger/contributions/issue-invoice/issue-invoice.handler';
import { monthOf, monthsBetween } from '@ledger/ledger/contributions/obligation';
import { recordPayment } from '@ledger/ledger/contributions/record-payment/record-payment.handler';
import { recordRefund } from '@ledger/ledger/contributions/record-refund/record-refund.handler';
import { setNonWorkingDays } from '@ledger/ledger/contributions/set-non-working-days/set-non-working-days.handler';
import { programCoverageEnd } from '@ledger/ledger/enrollment/enrollment.state';
import { loadExistingProgram } from '@ledger/ledger/programs/program.load';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { backfillOf } from '../shared/backfill.dto';
import { Ledger } from '../shared/ledger.providers';
import {
  AdjustInvoiceDto,
  CancelInvoiceDto,
  IssueInvoiceDto,
  NonWorkingDaysDto,
  RecordPaymentDto,
  RecordRefundDto,
} from './contributions.dto';
import { rosterSource } from './roster.source';

const uuid = uuidParam();
const year = intParam('year');

/** `<program uuid>_<YYYY-MM>[_n]`: anything else is a malformed id (400), not an unknown one. */
const INVOICE_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_\d{4}-(0[1-9]|1[0-2])(_\d{1,4})?$/i;
function invoiceIdParam(id: string): string {
  if (!INVOICE_ID.test(id)) {
    throw new ProblemException(HttpStatus.BAD_REQUEST, 'request.invalid', 'Permintaan tidak valid', {
      errors: [{ field: 'id', rule: 'isInvoiceId', message: 'id harus <id program>_<YYYY-MM>[_n]' }],
    });
  }
  return id;
}

/** A program's period cannot hold more months than this (ten years): the listing is bounded. */
const MAX_LISTED_MONTHS = 120;

const WRITERS = ['finance', 'program_admin'] as const;
const READERS = ['finance', 'program_admin', 'auditor', 'viewer'] as const;

@ApiTags('contributions')
@ApiBearerAuth()
@Controller('api')
export class ContributionsController {
  constructor(private readonly ledger: Ledger) {}

  @Post('programs/:id/invoices')
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      "Issues the ledger's own invoice of a month: freezes the roster that owes it (201), or gives the month's invoice (200)",
    description:
      'The roster is read from the enrollments read model once it has reached the log head. The same month again, ' +
      'also concurrently, answers the same invoice with 200 and writes nothing. An issue date before today − the ' +
      "program's backfill tolerance is a backfill (backfillReason required; program_admin only).",
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The month already had this invoice: nothing was written',
    schema: { $ref: '#/components/schemas/InvoiceIssued' },
  })
  async issue(
    @Param('id', uuid) programId: string,
    @Body() body: IssueInvoiceDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const written = await issueInvoice(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      programId,
      { month: body.month, issuedOn: body.issuedOn, backfill: backfillOf(body) },
      rosterSource(this.ledger),
    );
    reply.status(written.created ? HttpStatus.CREATED : HttpStatus.OK);
    const { invoice } = await loadInvoice(this.ledger.deps, written.invoiceId);
    return { ...invoiceView(invoice), created: written.created, consistencyToken: written.consistencyToken };
  }

  @Get('programs/:id/invoices')
  @Roles(...READERS)
  @ApiOperation({ summary: "A program's invoices, month by month (cancelled ones included)" })
  async list(@Param('id', uuid) programId: string, @CurrentPrincipal() principal: Principal) {
    const { program } = await loadExistingProgram(this.ledger.deps, programId);
    this.ledger.assertReaches(principal, program.terms.ownerRegion);
    const months = monthsBetween(
      monthOf(program.terms.period.from),
      monthOf(programCoverageEnd(program)),
    ).slice(0, MAX_LISTED_MONTHS);
    const invoices = [];
    for (const month of months) {
      const { state } = await loadDues(this.ledger.deps, programId, month);
      for (const invoice of state.invoices) {
        const { payments: _p, adjustments: _a, refunds: _r, ...summary } = invoiceView(invoice);
        invoices.push(summary);
      }
    }
    return { programId, invoices };
  }

  @Get('invoices/:id')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'One invoice: terms, control totals, status, paid, outstanding, payments, adjustments, refunds',
  })
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const { invoice } = await loadInvoice(this.ledger.deps, invoiceIdParam(id));
    this.ledger.assertReaches(principal, invoice.terms.ownerRegion);
    return invoiceView(invoice);
  }

  @Post('invoices/:id/payments')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      'Records a payment on an invoice, allocated to its lines in order; partial and over-payments allowed',
    description:
      'The reference is unique in the ledger (trimmed, upper-cased, inner spaces removed): a second use is 409. ' +
      'A cancelled invoice takes no payment (409 invoice.cancelled).',
  })
  pay(
    @Param('id') id: string,
    @Body() body: RecordPaymentDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return recordPayment(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      invoiceIdParam(id),
      {
        amount: body.amount,
        paidOn: body.paidOn,
        reference: body.reference,
        sp2dNumber: body.sp2dNumber ?? null,
        backfill: backfillOf(body),
      },
    );
  }

  @Post('invoices/:id/adjustments')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      'Recomputes the roster now: adds lines for coverages learned since, cancels unpaid lines no longer owed',
    description:
      'Never a rewrite: an adjustment event with the lines added and cancelled and the amount delta. A fully paid line ' +
      'that is no longer owed stays (it is refundable). When the roster has not changed: 200 with adjusted=false and no event.',
  })
  adjust(
    @Param('id') id: string,
    @Body() body: AdjustInvoiceDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return adjustInvoice(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      invoiceIdParam(id),
      { reason: body.reason, note: body.note ?? null, adjustedOn: body.adjustedOn },
      rosterSource(this.ledger),
    );
  }

  @Post('invoices/:id/cancellation')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({ summary: 'Cancels an invoice that took no payment; the month may then be issued again' })
  cancel(
    @Param('id') id: string,
    @Body() body: CancelInvoiceDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return cancelInvoice(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      invoiceIdParam(id),
      {
        reason: body.reason,
        cancelledOn: body.cancelledOn,
      },
    );
  }

  @Post('invoices/:id/refunds')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      'Records a refund agreed with BPJS: paid lines whose coverage no longer owes the month, and the over-payment',
    description:
      'Without lines: every refundable line (at most 5,000 a request). A line not refundable (unpaid, refunded before, ' +
      'or its coverage still owes the month) is refused with 422 naming the lines.',
  })
  refund(
    @Param('id') id: string,
    @Body() body: RecordRefundDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return recordRefund(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      invoiceIdParam(id),
      {
        lines: body.lines,
        includeOverpaid: body.includeOverpaid,
        reason: body.reason,
        reference: body.reference ?? null,
        agreedOn: body.agreedOn,
        backfill: backfillOf(body),
      },
      rosterSource(this.ledger),
    );
  }

  @Put('calendar/:year/non-working-days')
  @HttpCode(HttpStatus.OK)
  @Roles('program_admin', 'administrator')
  @ApiOperation({
    summary:
      "Sets a year's non-working days besides weekends (holidays, cuti bersama): a due date on one moves to the next working day",
  })
  setCalendar(
    @Param('year', year) calendarYear: number,
    @Body() body: NonWorkingDaysDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return setNonWorkingDays(this.ledger.deps, this.ledger.context(request, principal, body), {
      year: calendarYear,
      days: body.days,
      note: body.note ?? null,
    });
  }

  @Get('calendar/:year/non-working-days')
  @ApiOperation({ summary: "A year's non-working days besides weekends" })
  async calendar(@Param('year', year) calendarYear: number) {
    const { days, note } = await loadNonWorkingDays(this.ledger.deps, calendarYear);
    return { year: calendarYear, days, note };
  }
}
