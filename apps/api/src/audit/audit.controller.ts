import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ledger/platform/auth';
import { AUDIT_ACTIONS } from '@ledger/read-models/audit/audit-actions';
import {
  auditQueryOf,
  auditScopeOf,
  summaryKindOf,
  type AuditQuery,
} from '@ledger/read-models/audit/audit-params';
import { AUDIT_PAGE_MAX, auditSummary, auditTrail } from '@ledger/read-models/audit/audit.query';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Ledger } from '../shared/ledger.providers';
import { auditSummaryTable, auditTrailTable } from '@ledger/read-models/exports/audit.exports';
import { parsed } from '../shared/query-params';
import { sendReport } from '../shared/report-format';

const READ_MODELS = ['audit_trail'];
const FORMATS = [
  'application/json',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

/**
 * Who did what, where and when, across people: for auditors and the heads of a region.
 * Scoped like every report: rows of regions the token does not cover are never listed.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'program_admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly ledger: Ledger) {}

  private request(query: AuditQuery, principal: Principal, http: FastifyRequest) {
    // An export is read whole more often than paged: its default page is the largest.
    const exporting =
      query.format === 'csv' ||
      query.format === 'xlsx' ||
      (query.format === undefined && /text\/csv|spreadsheetml/.test(String(http.headers.accept ?? '')));
    const request = parsed(() =>
      auditQueryOf(query, auditScopeOf(principal), exporting ? AUDIT_PAGE_MAX : 100),
    );
    if (request.filter.region !== undefined) this.ledger.assertCovers(principal, request.filter.region);
    return request;
  }

  @Get()
  @ApiOperation({
    summary:
      'The audit trail: every recorded decision with actor, role, scope, action, program, region, both times',
    description:
      'Ordered by log position; `after` is the cursor (the `nextCursor` of the previous page, also sent as the ' +
      'X-Next-Cursor header). `from`/`to` are days of recording in WIB. Actions: ' +
      AUDIT_ACTIONS.map((a) => `${a.code} (${a.id})`).join(', '),
  })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'role', required: false })
  @ApiQuery({ name: 'region', required: false, description: 'Kode wilayah inside the token scope' })
  @ApiQuery({ name: 'program', required: false })
  @ApiQuery({ name: 'action', required: false, description: 'One action code or several, comma-separated' })
  @ApiQuery({ name: 'sensitive', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'from', required: false, example: '2026-03-01' })
  @ApiQuery({ name: 'to', required: false, example: '2026-03-31' })
  @ApiQuery({ name: 'after', required: false, description: 'Cursor: a log position' })
  @ApiQuery({ name: 'limit', required: false, description: '1–10000; 100 for JSON, 10000 for exports' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiQuery({ name: 'consistentWith', required: false })
  @ApiProduces(...FORMATS)
  async trail(
    @Query() query: AuditQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { filter, page } = this.request(query, principal, request);
    await this.ledger.consistent(query.consistentWith as string | undefined, READ_MODELS);
    const found = await auditTrail(this.ledger.read, filter, page);
    if (found.nextCursor !== null) void reply.header('x-next-cursor', String(found.nextCursor));
    return sendReport(request, reply, found, [auditTrailTable(found.entries)], 'jejak-audit', {
      title: 'Jejak audit',
      facts: [
        ...auditFacts(query),
        { label: 'Posisi log', value: await this.ledger.readPosition(READ_MODELS) },
      ],
    });
  }

  @Get('summary')
  @ApiOperation({
    summary:
      'Per month and actor (by=actor) or region one level below `region` (by=region): counts of each action, ' +
      'actions outside office hours (Mon–Fri 07:00–17:00 local time), and the rejection rate of uploaded lists',
  })
  @ApiQuery({ name: 'by', required: false, enum: ['actor', 'region'] })
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'role', required: false })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiProduces(...FORMATS)
  async summary(
    @Query() query: AuditQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { filter } = this.request(query, principal, request);
    const by = parsed(() => summaryKindOf(query));
    await this.ledger.consistent(query.consistentWith as string | undefined, READ_MODELS);
    const found = await auditSummary(this.ledger.read, filter, by);
    return sendReport(
      request,
      reply,
      { by, ...found },
      [auditSummaryTable(by, found.rows)],
      `ringkasan-audit-${by}`,
      {
        title: by === 'actor' ? 'Ringkasan audit per pelaku' : 'Ringkasan audit per wilayah',
        facts: [
          ...auditFacts(query),
          { label: 'Posisi log', value: await this.ledger.readPosition(READ_MODELS) },
        ],
      },
    );
  }
}

/** The filters an export was made with, for its title block. */
function auditFacts(query: AuditQuery): { label: string; value: string }[] {
  const labels: [keyof AuditQuery, string][] = [
    ['region', 'Wilayah'],
    ['actor', 'Pelaku'],
    ['role', 'Peran'],
    ['program', 'Program'],
    ['action', 'Tindakan'],
    ['from', 'Dari'],
    ['to', 'Sampai'],
  ];
  return labels
    .filter(([key]) => typeof query[key] === 'string' && query[key] !== '')
    .map(([key, label]) => ({ label, value: String(query[key]) }));
}
