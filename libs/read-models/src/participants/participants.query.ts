import type { ReadQuery } from '../read-schema';

/** A participant's row (no personal data); undefined for an unknown id. */
export async function participantById(db: ReadQuery, id: string) {
  return await db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
}
