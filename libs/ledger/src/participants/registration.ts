import type { LedgerDeps } from '../shared/command.deps';
import { streams } from '../shared/streams';
import type { ParticipantEvent, PersonalData } from './participant.events';
import { openPersonal } from './personal-data.deps';

export type Registration = Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'];

/**
 * Each participant's registration (the first event of their stream) with its personal fields
 * opened: `personal` is null once the person was erased. Absent for an id never registered.
 */
export async function openRegistrations(
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  participantIds: string[],
): Promise<Map<string, { registration: Registration; personal: PersonalData | null }>> {
  const keys = await deps.keys.getMany(participantIds);
  const out = new Map<string, { registration: Registration; personal: PersonalData | null }>();
  for (const id of participantIds) {
    const [registered] = await deps.store.readStream(streams.participant(id), { maxCount: 1 });
    if (!registered) continue;
    const registration = registered.data as Registration;
    out.set(id, { registration, personal: openPersonal(keys.get(id), id, registration.personal) });
  }
  return out;
}

/** Birth date from the participant's sealed data; null once the person was erased. */
export async function birthDates(
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  participantIds: string[],
): Promise<Map<string, string | null>> {
  const opened = await openRegistrations(deps, participantIds);
  return new Map(participantIds.map((id) => [id, opened.get(id)?.personal?.birthDate ?? null]));
}
