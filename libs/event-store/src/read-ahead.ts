import type { ReadAllOptions, RecordedEvent } from './port';

/**
 * Pages of the log through `readAll`, one page ahead: the request for page k+1 is sent
 * before page k is handed over, so an adapter whose reads wait on a server or a thread
 * works while the caller does. Ends at the first empty page.
 */
export async function* readAhead(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent[]> {
  let next = readAll(options);
  try {
    for (;;) {
      const page = await next;
      if (page.length === 0) return;
      next = readAll({ ...options, after: page[page.length - 1].position });
      yield page;
    }
  } finally {
    // A caller that stops early leaves one request in flight: its failure is nobody's now.
    next.catch(() => undefined);
  }
}
