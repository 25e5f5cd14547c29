import type { ReadQuery } from '../read-schema';

/**
 * Per actor, the NIKs refused for a coverage outside their scope, most first; only actors
 * with a token region `covers` accepts (an auditor sees the actors working inside their scope).
 */
export async function coverageProbes(db: ReadQuery, covers: (region: string) => boolean) {
  const rows = await db
    .selectFrom('coverage_probes')
    .selectAll()
    .orderBy('niks', 'desc')
    .orderBy('actor_id')
    .execute();
  return rows
    .filter((r) => r.actor_regions.split(',').some((code: string) => covers(code)))
    .map((r) => ({
      actorId: r.actor_id,
      role: r.actor_role,
      regions: r.actor_regions === '' ? [] : r.actor_regions.split(','),
      niks: Number(r.niks),
      requests: Number(r.requests),
      firstAt: r.first_at,
      lastAt: r.last_at,
      lastProgramId: r.last_program_id,
      lastMaskedNik: r.last_masked_nik,
    }));
}
