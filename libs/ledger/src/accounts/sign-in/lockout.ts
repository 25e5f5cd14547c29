/**
 * Lock-out after repeated failures: MAX_FAILURES failed sign-ins for one user name within
 * WINDOW_MS lock that name until WINDOW_MS after the last of them. Counted per user name
 * (known or not), never per address: an attacker who changes address keeps the count, and a
 * name that belongs to no account locks exactly like one that does, so the answer tells
 * nothing about which names exist.
 */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

/** When the name is locked until (epoch ms), or undefined when a sign-in may be tried now. */
export function lockedUntil(failuresAt: readonly number[], now: number): number | undefined {
  const recent = failuresAt.filter((at) => at > now - WINDOW_MS && at <= now).sort((a, b) => a - b);
  if (recent.length < MAX_FAILURES) return undefined;
  return recent[recent.length - 1] + WINDOW_MS;
}
