import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const PDFTOPPM = existsSync('/usr/bin/pdftoppm') ? '/usr/bin/pdftoppm' : undefined;

/** Where rendered exports go for a person to look at (ignored by git). */
export const RENDER_DIR = join(__dirname, '..', '..', 'test-output', 'exports');

/** Whether this machine can turn a spreadsheet into a picture (LibreOffice and poppler). */
export const canRender = SOFFICE !== undefined && PDFTOPPM !== undefined;

/**
 * Renders an XLSX as LibreOffice prints it, first page as `<name>.png` in {@link RENDER_DIR};
 * returns the file, or undefined where LibreOffice is not installed.
 */
export async function renderXlsx(xlsx: Buffer, name: string): Promise<string | undefined> {
  if (!SOFFICE || !PDFTOPPM) return undefined;
  const work = mkdtempSync(join(tmpdir(), 'ledger-render-'));
  try {
    writeFileSync(join(work, `${name}.xlsx`), xlsx);
    // A profile of its own: a second LibreOffice (or a desktop one) never blocks this one.
    await run(
      SOFFICE,
      [
        `-env:UserInstallation=file://${join(work, 'profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        work,
        join(work, `${name}.xlsx`),
      ],
      { timeout: 120_000 },
    );
    await run(
      PDFTOPPM,
      ['-png', '-r', '80', '-f', '1', '-l', '1', join(work, `${name}.pdf`), join(work, name)],
      {
        timeout: 60_000,
      },
    );
    const page = readdirSync(work).find((f) => f.startsWith(name) && f.endsWith('.png'));
    if (!page) return undefined;
    mkdirSync(RENDER_DIR, { recursive: true });
    const target = join(RENDER_DIR, `${name}.png`);
    renameSync(join(work, page), target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
