/** A user mistake on the command line: printed as one line, exit code 2. */
export class CliError extends Error {}

/** Where a usage mistake points to, e.g. `seeHelp('projections rebuild')`; '' for the list of commands. */
export function seeHelp(command: string): string {
  return `see: npm run cli -- ${command ? `${command} ` : ''}--help`;
}

export function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]);
  const width = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(width[i]))
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => String(r[c] ?? '')))),
  ].join('\n');
}
