/**
 * Gives the event loop a turn whenever this much work has run without one. Work over a buffer,
 * or over SQLite (synchronous), only ever awaits settled promises, which never let a timer or
 * another request's I/O run: without these turns one large file or download holds every
 * request, /health included. `afterTurn` runs after each turn (a cancellation check).
 */
const SLICE_MS = 15;

export function eventLoopTurns(afterTurn?: () => void): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
    afterTurn?.();
  };
}
