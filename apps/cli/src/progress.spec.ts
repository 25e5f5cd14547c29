import { PassThrough } from 'node:stream';
import { elapsedProgress, stepProgress } from './progress';

/** A stream that says it is a terminal (or not), keeping what is written to it. */
function stream(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { out: out as unknown as NodeJS.WriteStream, text: () => text };
}

describe('progress', () => {
  it('writes whole lines, without carriage returns or escapes, where stderr is not a terminal', () => {
    const s = stream(false);
    const progress = stepProgress(2, 'programs', s.out);
    progress.update(1, '10 participants covered');
    progress.update(2, '20 participants covered');
    progress.stop();
    elapsedProgress('rebuilding', s.out).stop();
    expect(s.text()).toBe(
      '  1/2 programs, 10 participants covered\n  2/2 programs, 20 participants covered\n',
    );
  });

  it('redraws one bar in place on a terminal', () => {
    const s = stream(true);
    const progress = stepProgress(2, 'programs', s.out);
    progress.update(1, '10 participants covered');
    progress.update(2, '20 participants covered');
    progress.stop();
    const lines = s
      .text()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    expect(s.text()).toContain('2/2 programs, 20 participants covered');
    expect(s.text()).toMatch(/\x1B\[/);
  });

  it('counts the seconds of work without steps on a terminal', () => {
    const s = stream(true);
    elapsedProgress('rebuilding', s.out).stop();
    expect(s.text()).toMatch(/rebuilding \d+s/);
  });
});
