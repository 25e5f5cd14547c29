import type { StatementView } from '../reconciliation/statement.query';
import { dayLabel, HANDWRITTEN_NAME, instantLabel, labelOf, periodLabel } from './statement.exports';

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whole rupiah as the statement prints them: `Rp1.234.500`, a minus sign before. */
const rupiah = (amount: number | null): string =>
  amount === null ? '—' : `${amount < 0 ? '−' : ''}Rp${Math.abs(amount).toLocaleString('id-ID')}`;

const FIGURES = [
  ['roster', 'Iuran menurut roster peserta'],
  ['billed', 'Tagihan BPJS Ketenagakerjaan'],
  ['disbursed', 'Dana yang dicairkan (SP2D)'],
] as const;

const STYLE = `
  @page { size: A4; margin: 18mm 16mm; }
  * { box-sizing: border-box; }
  body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 11pt; color: #000; margin: 0; }
  main { max-width: 178mm; margin: 0 auto; }
  h1 { font-size: 14pt; text-align: center; margin: 0; text-transform: uppercase; }
  .sub { text-align: center; margin: 2pt 0 0; }
  .no { text-align: center; margin: 2pt 0 14pt; font-size: 10pt; }
  h2 { font-size: 11pt; margin: 14pt 0 4pt; }
  table { width: 100%; border-collapse: collapse; margin: 4pt 0; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 0.6pt solid #000; padding: 3pt 5pt; vertical-align: top; }
  th { background: #eee; text-align: left; }
  td.n, th.n { text-align: right; white-space: nowrap; }
  table.facts td { border: none; padding: 1pt 4pt 1pt 0; }
  table.facts td:first-child { width: 38%; }
  .warn { border: 1pt solid #000; padding: 5pt 7pt; margin: 8pt 0; }
  .small { font-size: 9pt; }
  .closing { page-break-inside: avoid; break-inside: avoid; }
  .signatures { display: flex; justify-content: space-between; margin-top: 10pt; }
  .signatures > div { width: 46%; text-align: center; }
  .signatures p { margin: 1pt 0; }
  .signatures .space { height: 48pt; }
  .signatures .name { text-align: left; margin-top: 4pt; }
  @media screen { body { background: #f4f4f4; } main { background: #fff; padding: 18mm 16mm; margin: 10mm auto; } }
`;

/**
 * The berita acara as a printable page (A4, PDF-ready): title, parties, period, the three
 * totals as frozen, the open differences, what changed after the statement, and the
 * signature block. Every value is escaped; nothing personal appears (no NIK, no names): the
 * signer is the office and the account that recorded it, and a blank line under each
 * signature space takes the name, written by hand at signing as a berita acara is on paper.
 */
export function statementHtml(view: StatementView, programName: string, payer: string): string {
  const lines = view.frozen.lines;
  const differences =
    lines.length === 0
      ? '<p>Tidak terdapat selisih pada saat berita acara ini ditandatangani.</p>'
      : `<table><thead><tr><th>No</th><th>Bulan</th><th>Keterangan</th><th>Tagihan / SP2D</th><th class="n">Jumlah</th></tr></thead><tbody>${lines
          .map(
            (l, i) =>
              `<tr><td>${i + 1}</td><td>${escape(l.month)}</td><td>${escape(labelOf(l.code))}<br><span class="small">${escape(l.code)}</span></td><td class="small">${escape(l.invoiceId ?? '')}${l.sp2dNumbers.length ? `<br>${escape(l.sp2dNumbers.join(', '))}` : ''}</td><td class="n">${rupiah(l.amount)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const after = view.changedAfterStatement
    ? `<h2>D. Perubahan setelah berita acara</h2>
<div class="warn">Setelah berita acara ini ditandatangani, ledger mencatat perubahan yang mengubah angka di atas.
Angka pada berita acara tidak diubah; perubahannya sebagai berikut.</div>
<table><thead><tr><th>Uraian</th><th class="n">Pada berita acara</th><th class="n">Saat ini</th><th class="n">Perubahan</th></tr></thead><tbody>${[
        ...view.figureChanges.map(
          (c) =>
            `<tr><td>${escape(FIGURES.find(([k]) => k === c.figure)?.[1] ?? c.figure)}</td><td class="n">${rupiah(c.frozen)}</td><td class="n">${rupiah(c.current)}</td><td class="n">${rupiah(c.difference)}</td></tr>`,
        ),
        ...view.lineChanges.map(
          (c) =>
            `<tr><td>Selisih ${escape(c.month)}: ${escape(labelOf(c.code))}</td><td class="n">${rupiah(c.frozen)}</td><td class="n">${rupiah(c.current)}</td><td class="n">${rupiah(c.difference)}</td></tr>`,
        ),
      ].join('')}</tbody></table>`
    : '';
  const superseded = view.supersededBy
    ? `<div class="warn">Berita acara ini telah digantikan oleh berita acara ${escape(view.supersededBy)}.</div>`
    : '';
  const replaces = view.supersedes
    ? `<p class="small">Berita acara ini menggantikan berita acara ${escape(view.supersedes)} dengan alasan: ${escape(view.reason)}.</p>`
    : '';
  return `<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Berita Acara Rekonsiliasi ${escape(periodLabel(view.period))}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>Berita Acara Rekonsiliasi</h1>
<p class="sub">Iuran Jaminan Sosial Ketenagakerjaan Pekerja Rentan — ${escape(periodLabel(view.period))}</p>
<p class="no">Nomor: ${escape(view.statementId)}</p>
${superseded}
<p>Pada tanggal ${escape(dayLabel(view.signedOn))}, yang bertanda tangan di bawah ini telah melakukan rekonsiliasi
antara iuran menurut roster peserta, tagihan BPJS Ketenagakerjaan, dan dana yang dicairkan melalui SP2D
untuk program <strong>${escape(programName)}</strong>, periode <strong>${escape(periodLabel(view.period))}</strong>.</p>
<h2>A. Para pihak</h2>
<table class="facts">
<tr><td>Pihak pertama (pembayar)</td><td>: ${escape(payer)}</td></tr>
<tr><td>Diwakili oleh</td><td>: ${escape(view.signer.position)}</td></tr>
<tr><td>Pihak kedua</td><td>: ${escape(view.counterparty ?? '-')}</td></tr>
</table>
<h2>B. Jumlah</h2>
<table><thead><tr><th>Uraian</th><th class="n">Jumlah</th></tr></thead><tbody>
${FIGURES.map(([k, label]) => `<tr><td>${label}</td><td class="n">${rupiah(view.frozen[k])}</td></tr>`).join('\n')}
<tr><td>Selisih tagihan BPJS terhadap roster</td><td class="n">${rupiah(view.frozen.billed - view.frozen.roster)}</td></tr>
<tr><td>Selisih dana dicairkan terhadap tagihan BPJS</td><td class="n">${rupiah(view.frozen.disbursed - view.frozen.billed)}</td></tr>
</tbody></table>
<h2>C. Selisih yang belum diselesaikan (${lines.length})</h2>
${differences}
${after}
${replaces}
<div class="closing">
<p>Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya.</p>
<div class="signatures">
<div><p>Pihak pertama<br>${escape(payer)}<br>${escape(view.signer.position)}</p><div class="space"></div><p class="name">${HANDWRITTEN_NAME}</p></div>
<div><p>Pihak kedua<br>${escape(view.counterparty ?? '')}<br>&nbsp;</p><div class="space"></div><p class="name">${HANDWRITTEN_NAME}</p></div>
</div>
<p class="small">Dicatat di ledger oleh akun ${escape(view.signer.account)} pada ${escape(instantLabel(view.recordedAt))}; angka dibekukan pada posisi log ${view.readPosition}.</p>
</div>
</main></body></html>
`;
}
