import { AUDIT_ACTIONS } from '../audit/audit-actions';
import type { AuditEntry, AuditSummaryRow } from '../audit/audit.query';
import type { ReportTable } from './report-table';

export function auditTrailTable(entries: AuditEntry[]): ReportTable {
  return {
    name: 'Jejak audit',
    columns: [
      { key: 'position', header: 'Posisi' },
      { key: 'recordedAt', header: 'Dicatat' },
      { key: 'effectiveDate', header: 'Berlaku' },
      { key: 'actorId', header: 'Pelaku' },
      { key: 'actorRole', header: 'Peran', format: 'code' },
      { key: 'actorScope', header: 'Cakupan' },
      { key: 'action', header: 'Kode tindakan' },
      { key: 'actionName', header: 'Tindakan' },
      { key: 'sensitive', header: 'Sensitif' },
      { key: 'outsideOfficeHours', header: 'Di luar jam kerja' },
      { key: 'regionCode', header: 'Wilayah' },
      { key: 'programId', header: 'Program' },
      { key: 'importId', header: 'Impor' },
      { key: 'enrollmentId', header: 'Pendaftaran' },
      { key: 'participantId', header: 'Peserta' },
      { key: 'reason', header: 'Alasan', format: 'code' },
      { key: 'detail', header: 'Rincian' },
      { key: 'correlationId', header: 'Korelasi' },
      { key: 'causationId', header: 'Penyebab' },
    ],
    rows: entries.map((e) => ({
      ...e,
      actorId: e.actor.id,
      actorRole: e.actor.role,
      actorScope: e.actor.scope,
      actionName: e.actionName.id,
      sensitive: e.sensitive ? 'ya' : 'tidak',
      outsideOfficeHours: e.outsideOfficeHours ? 'ya' : 'tidak',
      detail:
        e.detail === null && e.upload === null
          ? null
          : JSON.stringify({ ...(e.detail as object), ...(e.upload ? { upload: e.upload } : {}) }),
    })),
  };
}

export function auditSummaryTable(by: 'actor' | 'region', rows: AuditSummaryRow[]): ReportTable {
  return {
    name: by === 'actor' ? 'Ringkasan per pelaku' : 'Ringkasan per wilayah',
    columns: [
      { key: 'month', header: 'Bulan' },
      { key: 'key', header: by === 'actor' ? 'Pelaku' : 'Wilayah' },
      ...(by === 'actor' ? [{ key: 'role', header: 'Peran', format: 'code' as const }] : []),
      { key: 'total', header: 'Jumlah tindakan' },
      ...AUDIT_ACTIONS.map((a) => ({ key: a.code, header: a.id })),
      { key: 'outsideOfficeHours', header: 'Di luar jam kerja' },
      { key: 'uploads', header: 'Daftar diunggah' },
      { key: 'rowsUploaded', header: 'Baris diunggah' },
      { key: 'rowsRefusedAtImport', header: 'Ditolak saat impor' },
      { key: 'enrollmentsLaterRejected', header: 'Ditolak kemudian' },
      { key: 'uploadRejectionRate', header: 'Tingkat penolakan' },
    ],
    rows: rows.map((r) => ({
      ...r,
      ...Object.fromEntries(AUDIT_ACTIONS.map((a) => [a.code, r.byAction[a.code] ?? 0])),
    })),
  };
}
