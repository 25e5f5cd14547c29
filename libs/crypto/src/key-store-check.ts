import type { EventStore } from '@ledger/event-store';
import type { PersonKeyStore } from './person-key-store';
import { isEncryptedBlob } from './pii-cipher';

/** How many of the log's latest positions are looked at for sealed personal data. */
const RECENT = 5_000;

/** The key store cannot open the log's personal data; the message names why and the repair. */
export class KeyStoreMismatchError extends Error {
  constructor(missing: number, seen: number) {
    super(
      `the key store has no data key for ${missing} of the ${seen} people sealed in the latest events of the log ` +
        `(was the key store restored to an older copy, or is it another ledger's?); repair: restore the key store ` +
        `(keys.db, or the person_key tables) from the same backup as the event log`,
    );
    this.name = 'KeyStoreMismatchError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A blob bound to something other than a person (a claim's heirs, `claim-<id>`) is sealed
 * under the key of the person its event is about: that person is the one to look up.
 */
function collectSubjects(value: unknown, into: Set<string>, owner: string | undefined): void {
  if (isEncryptedBlob(value)) {
    const subject = UUID.test(value.kid) || owner === undefined ? value.kid : owner;
    into.add(subject);
  } else if (Array.isArray(value)) for (const item of value) collectSubjects(item, into, owner);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) collectSubjects(item, into, owner);
}

function ownerOf(data: unknown): string | undefined {
  const id = (data as { participantId?: unknown } | null)?.participantId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Every person whose data is sealed in the latest events must have a key or a tombstone
 * (erased): a key store older than the log, or of another ledger, would otherwise show
 * those people as erased, and new events of theirs would be sealed under fresh keys.
 */
export async function verifyKeyStore(store: EventStore, keys: PersonKeyStore): Promise<void> {
  const head = await store.headPosition();
  const recent = await store.readAll({ after: Math.max(0, head - RECENT), maxCount: RECENT });
  const subjects = new Set<string>();
  for (const event of recent) collectSubjects(event.data, subjects, ownerOf(event.data));
  const ids = [...subjects];
  if (ids.length === 0) return;
  const found = await keys.getMany(ids);
  let missing = 0;
  for (const id of ids) if (!found.has(id) && !(await keys.isDestroyed(id))) missing += 1;
  if (missing > 0) throw new KeyStoreMismatchError(missing, ids.length);
}
