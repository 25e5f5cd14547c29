import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { intParam, uuidParam } from '@ledger/platform/http/validation';
import { cancelTreasuryDocument } from '@ledger/ledger/treasury/cancel-document/cancel-document.handler';
import { linkSp2d } from '@ledger/ledger/treasury/link-sp2d/link-sp2d.handler';
import { recordSp2d } from '@ledger/ledger/treasury/record-sp2d/record-sp2d.handler';
import { recordSpm } from '@ledger/ledger/treasury/record-spm/record-spm.handler';
import { recordSpp } from '@ledger/ledger/treasury/record-spp/record-spp.handler';
import { setBudgetLine } from '@ledger/ledger/treasury/set-budget-line/set-budget-line.handler';
import { loadTreasury, loadTreasuryProgram } from '@ledger/ledger/treasury/treasury.load';
import { treasuryView } from '@ledger/ledger/treasury/treasury.view';
import { importSp2d } from '@ledger/ledger/treasury/import-sp2d/import-sp2d.handler';
import { ledgerValidationPipe } from '@ledger/platform/http/validation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientGone, spoolUpload } from '../imports/imports.controller';
import { Ledger } from '../shared/ledger.providers';
import {
  BudgetLineDto,
  CancelDocumentDto,
  DocumentDto,
  LinkSp2dDto,
  Sp2dDto,
  Sp2dImportFormDto,
  SpmDto,
} from './treasury.dto';

const uuid = uuidParam();
const year = intParam('year');

/** Finance writes the treasury of its own region; auditors read it. */
const WRITERS = ['finance'] as const;
const READERS = ['finance', 'auditor'] as const;

@ApiTags('treasury')
@ApiBearerAuth()
@Controller('api/programs/:id')
export class TreasuryController {
  constructor(private readonly ledger: Ledger) {}

  @Post('budget-lines')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({
    summary:
      'Sets or revises a budget line of a fiscal year (DPA, APBD, APBD-P); the ceiling is the sum of the lines',
    description:
      'A revision keeps the amount it replaces. The same figures again: 200 with changed=false, nothing written.',
  })
  budgetLine(
    @Param('id', uuid) programId: string,
    @Body() body: BudgetLineDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return setBudgetLine(this.ledger.deps, this.ledger.context(request, principal, body), programId, body);
  }

  @Get('treasury/:year')
  @Roles(...READERS)
  @ApiOperation({
    summary: "A program's treasury of a fiscal year: budget lines, ceiling, SPP, SPM, SP2D and links",
  })
  async get(
    @Param('id', uuid) programId: string,
    @Param('year', year) fiscalYear: number,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { regionCode } = await loadTreasuryProgram(this.ledger.deps, programId);
    this.ledger.assertCovers(principal, regionCode);
    const { state } = await loadTreasury(this.ledger.deps, programId, fiscalYear);
    return treasuryView(programId, fiscalYear, state);
  }

  @Post('spp')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiOperation({
    summary: 'Records an SPP on one of the budget lines of its year',
    description: 'The number is unique in the regency and year (409 treasury.number.duplicate).',
  })
  spp(
    @Param('id', uuid) programId: string,
    @Body() body: DocumentDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return recordSpp(this.ledger.deps, this.ledger.context(request, principal, body), programId, body);
  }

  @Post('spm')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiOperation({
    summary: 'Records an SPM on a live SPP of the same year and account code, within what is left of it',
  })
  spm(
    @Param('id', uuid) programId: string,
    @Body() body: SpmDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return recordSpm(this.ledger.deps, this.ledger.context(request, principal, body), programId, body);
  }

  @Post('sp2d')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiOperation({
    summary: 'Records an SP2D on a live SPM: the SP2Ds of an SPM never exceed it',
    description: 'An SP2D before its SPM is 422 treasury.spm.unknown; above it, 422 sp2d.amount.exceedsSpm.',
  })
  sp2d(
    @Param('id', uuid) programId: string,
    @Body() body: Sp2dDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return recordSp2d(this.ledger.deps, this.ledger.context(request, principal, body), programId, body);
  }

  @Post('treasury-cancellations')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({
    summary: 'Cancels an SPP, SPM or SP2D (pembatalan): its amount is freed, its number stays taken',
    description:
      'A document with a live child is cancelled after the child (409 treasury.cancel.liveChildren).',
  })
  cancel(
    @Param('id', uuid) programId: string,
    @Body() body: CancelDocumentDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return cancelTreasuryDocument(
      this.ledger.deps,
      this.ledger.context(request, principal, body),
      programId,
      body,
    );
  }

  @Post('sp2d-links')
  @HttpCode(HttpStatus.OK)
  @Roles(...WRITERS)
  @ApiOperation({
    summary: "Links an SP2D to the program's invoices it pays; a later link corrects an earlier one",
  })
  link(
    @Param('id', uuid) programId: string,
    @Body() body: LinkSp2dDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return linkSp2d(this.ledger.deps, this.ledger.context(request, principal, body), programId, body);
  }

  @Post('sp2d-imports')
  @HttpCode(HttpStatus.CREATED)
  @Roles(...WRITERS)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      description:
        'The SP2D export (CSV or XLSX, SIPD field names or their Indonesian labels). Form fields come before the file.',
      properties: { fiscalYear: { type: 'integer' }, file: { type: 'string', format: 'binary' } },
      required: ['fiscalYear', 'file'],
    },
  })
  @ApiOperation({
    summary: "Imports SP2Ds from the treasury system's export, with a row report",
    description:
      'Every row is decided like POST sp2d, in order, in one write. A row already recorded with the same SPM, day and ' +
      'amount is reported already_recorded: the same export again records nothing twice. A file without the SP2D ' +
      'columns, or that cannot be read, is 422 naming the columns and writes nothing.',
  })
  async import(
    @Param('id', uuid) programId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ) {
    const limits = this.ledger.runtime.config.imports;
    const signal = clientGone(reply);
    const dir = await mkdtemp(join(tmpdir(), 'ledger-sp2d-'));
    try {
      const file = await spoolUpload(request, dir, limits.maxBytes);
      const form = (await ledgerValidationPipe().transform(file.fields, {
        type: 'body',
        metatype: Sp2dImportFormDto,
      })) as Sp2dImportFormDto;
      return await importSp2d(
        this.ledger.deps,
        this.ledger.context(request, principal, { programId, fields: file.fields }),
        programId,
        form.fiscalYear,
        {
          fileName: file.fileName,
          contentType: file.contentType,
          content: () => createReadStream(file.path),
        },
        { limits, signal },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
