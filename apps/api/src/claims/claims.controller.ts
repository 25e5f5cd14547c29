import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { uuidParam } from '@ledger/platform/http/validation';
import { approveClaim } from '@ledger/ledger/claims/approve/approve-claim.handler';
import { claimView } from '@ledger/ledger/claims/claim.view';
import { loadClaim } from '@ledger/ledger/claims/claim.load';
import { completeDocuments } from '@ledger/ledger/claims/complete-documents/complete-documents.handler';
import { fileClaim } from '@ledger/ledger/claims/file/file-claim.handler';
import { reportDeath } from '@ledger/ledger/claims/report-death/report-death.handler';
import { payClaim } from '@ledger/ledger/claims/pay/pay-claim.handler';
import { rejectClaim } from '@ledger/ledger/claims/reject/reject-claim.handler';
import { reopenClaim } from '@ledger/ledger/claims/reopen/reopen-claim.handler';
import { submitClaim } from '@ledger/ledger/claims/submit/submit-claim.handler';
import { listClaims } from '@ledger/read-models/claims/claims.query';
import { claimsReport } from '@ledger/read-models/claims/claims-report.query';
import { claimsReportAbout, claimsReportTables } from '@ledger/read-models/exports/claims.exports';
import { withdrawClaim } from '@ledger/ledger/claims/withdraw/withdraw-claim.handler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendReport } from '../shared/report-format';
import { backfillOf } from '../shared/backfill.dto';
import { knownAtQuery } from '../shared/known-at-query';
import { Ledger } from '../shared/ledger.providers';
import {
  ApproveClaimDto,
  ClaimStepDto,
  ClaimsQueryDto,
  ClaimsReportQueryDto,
  CompleteDocumentsDto,
  FileClaimDto,
  PayClaimDto,
  RejectClaimDto,
} from './claims.dto';
import { ReportDeathDto } from './death-report.dto';

const uuid = uuidParam();

/** Claim officers: the program admins of the region file and move claims; finance records payment. */
const OFFICERS = ['program_admin'] as const;
const PAYERS = ['program_admin', 'finance'] as const;
const READERS = ['program_admin', 'finance', 'auditor', 'viewer'] as const;
/** Roles that read heirs' names, NIKs and accounts in full; every other role reads them masked. */
const SEE_HEIRS: readonly string[] = ['program_admin', 'auditor'];

@ApiTags('claims')
@ApiBearerAuth()
@Controller('api')
export class ClaimsController {
  constructor(private readonly ledger: Ledger) {}

  @Post('participants/:id/claims')
  @Roles(...OFFICERS)
  @ApiOperation({
    summary: 'Files a JKM or JKK claim: eligibility decided from the ledger, recorded with its reasons',
    description:
      'A claim failing a rule (not_covered_on_event_date, contribution_unpaid, reported_late) is still recorded. ' +
      'One open claim per participant and kind; a second death is refused (409). A death of a covered participant ' +
      'ends the enrollment on the date of death (reason deceased) in the same append.',
  })
  file(
    @Param('id', uuid) participantId: string,
    @Body() body: FileClaimDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const ctx = this.ledger.context(request, principal, body);
    return fileClaim(this.ledger.deps, ctx, participantId, {
      enrollmentId: body.enrollmentId,
      kind: body.kind,
      benefit: body.benefit,
      eventDate: body.eventDate,
      reportedOn: body.reportedOn ?? ctx.today,
      heirs: body.heirs.map((h) => ({
        name: h.name,
        nik: h.nik,
        relationship: h.relationship,
        bankName: h.bankName,
        accountNumber: h.accountNumber,
        phone: h.phone ?? null,
      })),
      documents: (body.documents ?? []).map(({ type, number, issuedOn }) => ({ type, number, issuedOn })),
      backfill: backfillOf(body),
    });
  }

  @Post('participants/:id/death')
  @Roles(...OFFICERS)
  @ApiOperation({
    summary: 'Records a death without a claim: the coverage running that day ends on it (reason deceased)',
    description:
      'One death per person: a death already claimed or reported is refused (409). The enrollment whose coverage ' +
      'runs on the date of death is deregistered from that day in the same append, so months paid after it become ' +
      'refundable. A JKM claim filed later for this death links to the report (same date of death) and ends nothing more.',
  })
  reportDeath(
    @Param('id', uuid) participantId: string,
    @Body() body: ReportDeathDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    const ctx = this.ledger.context(request, principal, body);
    return reportDeath(this.ledger.deps, ctx, participantId, {
      dateOfDeath: body.dateOfDeath,
      reportedOn: body.reportedOn ?? ctx.today,
      reporter: {
        name: body.reporter.name,
        relationship: body.reporter.relationship,
        phone: body.reporter.phone ?? null,
      },
      certificate: { number: body.certificate.number, issuedOn: body.certificate.issuedOn },
      backfill: backfillOf(body),
    });
  }

  @Get('claims')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'Claims of a region, by program, kind and status (no heirs): one page, newest event first',
  })
  async list(@Query() query: ClaimsQueryDto, @CurrentPrincipal() principal: Principal) {
    this.ledger.assertCovers(principal, query.region);
    await this.ledger.consistent(query.consistentWith, ['claims']);
    return listClaims(this.ledger.read, {
      region: query.region,
      programId: query.program,
      kind: query.kind,
      status: query.status,
      offset: query.offset ?? 0,
      limit: query.limit ?? 100,
    });
  }

  @Get('claims/report')
  @Roles(...READERS)
  @ApiProduces(
    'application/json',
    'text/csv',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  @ApiOperation({
    summary:
      'Claims report of a region: counts and amounts by regency, program, kind, status and month; days to payment',
    description:
      'Groups by regency (the first four digits of the participant’s village), program, kind, status and the month of ' +
      'the death or accident. amount sums the approved amounts of approved and paid claims, paidAmount those of paid ' +
      'ones. paymentDelay gives per regency the median and p90 (nearest rank) of the calendar days from the death or ' +
      'accident to the payment day. year filters on the year of the event. No heir, no personal data. ' +
      'asOf counts each claim as it stood on that effective day, knownAt as the ledger knew it at that position; both ' +
      'are echoed when given.',
  })
  async report(
    @Query() query: ClaimsReportQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    this.ledger.assertCovers(principal, query.region);
    await this.ledger.consistent(query.consistentWith, ['claims']);
    const knownAt = await knownAtQuery(this.ledger, query.knownAt, ['claim_versions']);
    const report = await claimsReport(
      this.ledger.read,
      { region: query.region, programId: query.program, kind: query.kind, year: query.year },
      { asOf: query.asOf, knownAt },
    );
    const tail = [query.asOf, knownAt === undefined ? undefined : `posisi-${knownAt}`].filter(Boolean);
    return sendReport(
      request,
      reply,
      report,
      claimsReportTables(report),
      [`laporan-klaim-${query.region}`, ...tail].join('-'),
      claimsReportAbout(report),
    );
  }

  @Get('claims/:id')
  @Roles(...READERS)
  @ApiOperation({
    summary: 'One claim with its steps; heirs in full for program_admin and auditor, masked otherwise',
  })
  async get(@Param('id', uuid) claimId: string, @CurrentPrincipal() principal: Principal) {
    const { filed } = await loadClaim(this.ledger.deps, claimId);
    this.ledger.assertCovers(principal, filed.ownerRegion, false);
    return claimView(this.ledger.deps, claimId, SEE_HEIRS.includes(principal.role));
  }

  @Post('claims/:id/documents')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Marks the document checklist complete (numbers and dates; files are not stored)',
  })
  documents(
    @Param('id', uuid) id: string,
    @Body() body: CompleteDocumentsDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return completeDocuments(this.ledger.deps, ctx, id, {
      documents: body.documents.map(({ type, number, issuedOn }) => ({ type, number, issuedOn })),
      completedOn: body.on ?? ctx.today,
      today: ctx.today,
    });
  }

  @Post('claims/:id/submission')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Submits the claim to BPJS Ketenagakerjaan' })
  submit(
    @Param('id', uuid) id: string,
    @Body() body: ClaimStepDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return submitClaim(this.ledger.deps, ctx, id, { submittedOn: body.on ?? ctx.today });
  }

  @Post('claims/:id/approval')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Records BPJS approval at the amount of the benefit table (or BPJS’s for medical and incapacity)',
  })
  approve(
    @Param('id', uuid) id: string,
    @Body() body: ApproveClaimDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return approveClaim(this.ledger.deps, ctx, id, {
      approvedOn: body.on ?? ctx.today,
      approvedAmount: body.approvedAmount ?? null,
    });
  }

  @Post('claims/:id/rejection')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rejects the claim with a coded reason' })
  reject(
    @Param('id', uuid) id: string,
    @Body() body: RejectClaimDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return rejectClaim(this.ledger.deps, ctx, id, {
      code: body.code,
      note: body.note ?? null,
      rejectedOn: body.on ?? ctx.today,
    });
  }

  @Post('claims/:id/payment')
  @Roles(...PAYERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Records the payment of an approved claim (day and transfer reference)' })
  pay(
    @Param('id', uuid) id: string,
    @Body() body: PayClaimDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return payClaim(this.ledger.deps, ctx, id, {
      paidOn: body.paidOn,
      reference: body.reference,
      today: ctx.today,
    });
  }

  @Post('claims/:id/withdrawal')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraws a claim BPJS has not decided' })
  withdraw(
    @Param('id', uuid) id: string,
    @Body() body: ClaimStepDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return withdrawClaim(this.ledger.deps, ctx, id, {
      withdrawnOn: body.on ?? ctx.today,
      note: body.note ?? null,
    });
  }

  @Post('claims/:id/reopening')
  @Roles(...OFFICERS)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reopens a rejected claim (at most twice)' })
  reopen(
    @Param('id', uuid) id: string,
    @Body() body: ClaimStepDto,
    @Req() r: FastifyRequest,
    @CurrentPrincipal() p: Principal,
  ) {
    const ctx = this.ledger.context(r, p, body);
    return reopenClaim(this.ledger.deps, ctx, id, {
      reopenedOn: body.on ?? ctx.today,
      note: body.note ?? null,
    });
  }
}
