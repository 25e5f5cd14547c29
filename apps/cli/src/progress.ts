import { Presets, SingleBar } from 'cli-progress';

/**
 * Progress of a long command, on stderr so stdout stays the answer: a bar redrawn in place
 * on a terminal, and whole lines where stderr goes to a file or a pipe, which have no use
 * for carriage returns.
 */
export interface Progress {
  /** `done` of the total steps, with what they amount to, e.g. "20000 participants covered". */
  update(done: number, detail: string): void;
  stop(): void;
}

export function stepProgress(
  total: number,
  unit: string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY) {
    return {
      update: (done, detail) => stream.write(`  ${done}/${total} ${unit}, ${detail}\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { stream, format: `  {bar} {value}/{total} ${unit}, {detail}` },
    Presets.shades_classic,
  );
  bar.start(total, 0, { detail: 'starting' });
  return { update: (done, detail) => bar.update(done, { detail }), stop: () => bar.stop() };
}

/**
 * For work that reports no steps: on a terminal a line that counts the seconds, elsewhere
 * nothing between the lines the command prints before and after.
 */
export function elapsedProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { stop(): void } {
  if (!stream.isTTY) return { stop: () => undefined };
  const bar = new SingleBar({ stream, format: `  ${label} {duration_formatted}` });
  bar.start(1, 0);
  return { stop: () => bar.stop() };
}
