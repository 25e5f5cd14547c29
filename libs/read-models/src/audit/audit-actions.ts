/**
 * The audit trail's vocabulary: one stable code per kind of action a person takes, with its
 * name in Bahasa Indonesia and in English. Codes are part of the API (filters, exports);
 * they are never renamed, only added to.
 */
export interface AuditAction {
  code: string;
  id: string;
  en: string;
  /** Listed by `sensitive=true`: actions an oversight body reviews one by one. */
  sensitive: boolean;
}

export const AUDIT_ACTIONS = [
  { code: 'program.establish', id: 'menetapkan program', en: 'establish a program', sensitive: false },
  { code: 'program.amend_quota', id: 'mengubah kuota', en: 'change the quota', sensitive: true },
  { code: 'program.amend_period', id: 'mengubah periode', en: 'change the period', sensitive: true },
  { code: 'program.close', id: 'menutup program', en: 'close a program', sensitive: true },
  {
    code: 'program.amend_backfill_tolerance',
    id: 'mengubah toleransi pencatatan mundur',
    en: 'change the backfill tolerance',
    sensitive: true,
  },
  {
    code: 'program.amend_jkk_reporting_window',
    id: 'mengubah batas waktu pelaporan kecelakaan kerja',
    en: 'change the JKK reporting window',
    sensitive: true,
  },
  { code: 'baseline.set', id: 'menetapkan data dasar', en: 'set a workforce baseline', sensitive: false },
  { code: 'import.upload', id: 'mengunggah daftar', en: 'upload a nomination list', sensitive: false },
  { code: 'import.approve', id: 'menyetujui daftar', en: 'approve a whole list', sensitive: true },
  { code: 'enrollment.propose', id: 'mengusulkan', en: 'propose', sensitive: false },
  {
    code: 'enrollment.refused_elsewhere',
    id: 'ditolak: NIK tercakup di luar cakupan',
    en: 'proposal refused: NIK covered outside the scope',
    sensitive: true,
  },
  { code: 'enrollment.approve', id: 'menyetujui', en: 'approve', sensitive: false },
  { code: 'enrollment.reject', id: 'menolak', en: 'reject', sensitive: false },
  { code: 'enrollment.deregister', id: 'mencabut', en: 'deregister', sensitive: false },
  {
    code: 'enrollment.lapse',
    id: 'iuran menunggak, kepesertaan berakhir',
    en: 'lapsed',
    sensitive: false,
  },
  {
    code: 'enrollment.reinstate',
    id: 'kepesertaan dipulihkan: tunggakan ternyata dibayar tepat waktu',
    en: 'reinstated: the arrears turned out paid in time',
    sensitive: true,
  },
  {
    code: 'enrollment.correct',
    id: 'mengoreksi periode perlindungan',
    en: 'correct a coverage period',
    sensitive: true,
  },
  { code: 'participant.erase', id: 'menghapus data pribadi', en: 'erase personal data', sensitive: true },
  // The money: invoices, payments, refunds, the bills BPJS sends and the calendar of due dates.
  { code: 'invoice.issue', id: 'menerbitkan tagihan', en: 'issue an invoice', sensitive: false },
  { code: 'invoice.adjust', id: 'menyesuaikan tagihan', en: 'adjust an invoice', sensitive: true },
  { code: 'invoice.cancel', id: 'membatalkan tagihan', en: 'cancel an invoice', sensitive: true },
  { code: 'payment.record', id: 'mencatat pembayaran iuran', en: 'record a payment', sensitive: false },
  { code: 'refund.record', id: 'mencatat pengembalian iuran', en: 'record a refund', sensitive: true },
  {
    code: 'bpjs_bill.record',
    id: 'mencatat tagihan BPJS',
    en: 'record the bill BPJS sent',
    sensitive: false,
  },
  {
    code: 'calendar.set_non_working_days',
    id: 'menetapkan hari libur',
    en: 'set the non-working days',
    sensitive: true,
  },
  // The treasury's documents (SPP → SPM → SP2D) and the budget lines they draw on.
  {
    code: 'treasury.set_budget_line',
    id: 'menetapkan pagu anggaran',
    en: 'set a budget line',
    sensitive: true,
  },
  { code: 'treasury.record_spp', id: 'mencatat SPP', en: 'record an SPP', sensitive: false },
  { code: 'treasury.record_spm', id: 'mencatat SPM', en: 'record an SPM', sensitive: false },
  { code: 'treasury.record_sp2d', id: 'mencatat SP2D', en: 'record an SP2D', sensitive: false },
  {
    code: 'treasury.cancel_document',
    id: 'membatalkan dokumen',
    en: 'cancel a treasury document',
    sensitive: true,
  },
  {
    code: 'treasury.link_sp2d',
    id: 'menautkan SP2D ke tagihan',
    en: 'link an SP2D to invoices',
    sensitive: false,
  },
  {
    code: 'treasury.sign_statement',
    id: 'menandatangani berita acara rekonsiliasi',
    en: 'sign a reconciliation statement',
    sensitive: true,
  },
  // Claims, step by step.
  { code: 'claim.file', id: 'mengajukan klaim', en: 'file a claim', sensitive: false },
  {
    code: 'claim.complete_documents',
    id: 'melengkapi dokumen klaim',
    en: "complete a claim's documents",
    sensitive: false,
  },
  { code: 'claim.submit', id: 'mengirim klaim ke BPJS', en: 'submit a claim to BPJS', sensitive: false },
  { code: 'claim.approve', id: 'menyetujui klaim', en: 'approve a claim', sensitive: true },
  { code: 'claim.reject', id: 'menolak klaim', en: 'reject a claim', sensitive: true },
  { code: 'claim.pay', id: 'mencatat pembayaran klaim', en: "record a claim's payment", sensitive: true },
  { code: 'claim.withdraw', id: 'menarik klaim', en: 'withdraw a claim', sensitive: false },
  { code: 'claim.reopen', id: 'membuka kembali klaim', en: 'reopen a claim', sensitive: true },
  {
    code: 'death.report',
    id: 'mencatat laporan kematian',
    en: 'record a death report',
    sensitive: true,
  },
  // The web app's accounts: sign-ins and every change to an account or its access.
  { code: 'account.create', id: 'membuat akun', en: 'create an account', sensitive: true },
  { code: 'account.disable', id: 'menonaktifkan akun', en: 'disable an account', sensitive: true },
  { code: 'account.enable', id: 'mengaktifkan akun', en: 'enable an account', sensitive: true },
  { code: 'account.sign_in', id: 'masuk', en: 'sign in', sensitive: true },
  { code: 'account.sign_in_failed', id: 'gagal masuk', en: 'failed sign-in', sensitive: true },
  { code: 'account.sign_out', id: 'keluar', en: 'sign out', sensitive: false },
  { code: 'account.issue_token', id: 'menerbitkan token', en: 'issue an API token', sensitive: true },
  { code: 'account.change_password', id: 'mengubah kata sandi', en: 'change own password', sensitive: true },
  {
    code: 'account.change_password_failed',
    id: 'gagal mengubah kata sandi',
    en: 'failed change of own password',
    sensitive: true,
  },
] as const satisfies readonly AuditAction[];

/**
 * A fact recorded as a backfill (effective date before today − the program's tolerance)
 * carries its reason; the audit row shows it in `detail.backfill` with these names.
 */
export const BACKFILL_REASON_NAMES: Record<string, { id: string; en: string }> = {
  migration: { id: 'migrasi data lama', en: 'migration of earlier records' },
  late_report: { id: 'laporan terlambat', en: 'late report' },
  correction: { id: 'koreksi', en: 'correction' },
};

export type AuditActionCode = (typeof AUDIT_ACTIONS)[number]['code'];

const BY_CODE = new Map<string, AuditAction>(AUDIT_ACTIONS.map((a) => [a.code, a]));

export function auditAction(code: string): AuditAction | undefined {
  return BY_CODE.get(code);
}

export const SENSITIVE_ACTIONS: readonly string[] = AUDIT_ACTIONS.filter((a) => a.sensitive).map(
  (a) => a.code,
);

/**
 * Offices keep the local time of their region: WIB (UTC+7) in Sumatra, Java and West and
 * Central Kalimantan, WITA (UTC+8) from Bali to Sulawesi and East Kalimantan, WIT (UTC+9)
 * in Maluku and Papua. By the province part of the region code.
 */
export function utcOffsetHours(regionCode: string | null): number {
  const province = Number(regionCode?.slice(0, 2));
  if ([51, 52, 53, 63, 64, 65, 71, 72, 73, 74, 75, 76].includes(province)) return 8;
  if (province >= 81) return 9;
  return 7;
}

/**
 * Office hours of regional government: Monday to Friday, 07:00 to 17:00 local time (the
 * working day of 07:30–16:00 with half an hour either side). An action outside them is not
 * wrong, but oversight counts it.
 */
export function outsideOfficeHours(instant: string, regionCode: string | null): boolean {
  const local = new Date(Date.parse(instant) + utcOffsetHours(regionCode) * 3_600_000);
  const day = local.getUTCDay();
  const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
  return day === 0 || day === 6 || minutes < 7 * 60 || minutes >= 17 * 60;
}
