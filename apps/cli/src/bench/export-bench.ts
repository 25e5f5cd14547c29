import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { reportCsv, reportXlsx, type StreamedTable } from '@ledger/read-models/exports/spreadsheet';

export interface ExportBench {
  format: 'csv' | 'xlsx';
  rows: number;
  mb: number;
  seconds: number;
  rssGrowthMb: number;
  eventLoopMaxMs: number;
}

/** A participant history's lines, as the history export writes them, made one by one. */
function historyTable(rows: number): StreamedTable {
  return {
    name: 'Riwayat',
    columns: [
      { key: 'position', header: 'Posisi' },
      { key: 'occurredAt', header: 'Waktu' },
      { key: 'type', header: 'Peristiwa' },
      { key: 'actorId', header: 'Pelaku' },
      { key: 'actorRole', header: 'Peran', format: 'code' },
      { key: 'details', header: 'Rincian' },
    ],
    rows: (function* () {
      for (let i = 0; i < rows; i++) {
        yield {
          position: i + 1,
          occurredAt: '2026-03-01T10:00:00.000Z',
          type: 'EnrollmentApproved',
          actorId: `admin-${i % 7}`,
          actorRole: 'program_admin',
          details: JSON.stringify({ coverageFrom: '2026-03-01', approvedOn: '2026-03-02' }),
        };
      }
    })(),
  };
}

/**
 * The report exports written to a client that reads a chunk per turn of the event loop: how
 * long, how much the process grew, and the longest the event loop waited meanwhile.
 */
export async function runExportBench(rows: number): Promise<ExportBench[]> {
  const out: ExportBench[] = [];
  for (const format of ['csv', 'xlsx'] as const) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let bytes = 0;
    const client = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        setImmediate(done);
      },
    });
    const started = performance.now();
    const table = historyTable(rows);
    await pipeline(format === 'csv' ? reportCsv([table])! : reportXlsx([table]), client);
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    out.push({
      format,
      rows,
      mb: Math.round(bytes / 1e5) / 10,
      seconds: Math.round(seconds * 10) / 10,
      rssGrowthMb: Math.round((peak - before) / 1e6),
      eventLoopMaxMs: Math.round(delay.max / 1e6),
    });
  }
  return out;
}
