import type { Role } from '@ledger/platform/auth';
import { maskNik } from '@ledger/ledger/participants/nik';
import type {
  ParticipantEvent,
  PersonalData,
  SealedPersonalData,
} from '@ledger/ledger/participants/participant.events';
import { openPersonal } from '@ledger/ledger/participants/personal-data.deps';
import type { LedgerDeps } from '@ledger/ledger/shared/command.deps';
import { streams } from '@ledger/ledger/shared/streams';

/**
 * A participant's personal fields as a caller may see them: in full for auditors, masked
 * for every other role, and 'erased' once the person's key was destroyed. One rule for
 * every endpoint that shows a person.
 */
export type PersonalView = PersonalData | 'erased';

/** Masks a name to its initials: "Siti Aminah" → "S*** A*****". */
export const maskName = (name: string) =>
  name
    .split(/\s+/)
    .map((part) => part[0] + '*'.repeat(Math.max(part.length - 1, 1)))
    .join(' ');

/** The opened fields as `role` may see them; null (the blob no longer opens) is 'erased'. */
export function personalFor(role: Role, opened: PersonalData | null): PersonalView {
  if (!opened) return 'erased';
  if (role === 'auditor') return { ...opened };
  return {
    nik: maskNik(opened.nik),
    name: maskName(opened.name),
    birthDate: `${opened.birthDate.slice(0, 4)}-**-**`,
    phone: opened.phone ? `${opened.phone.slice(0, 4)}******` : null,
  };
}

/**
 * Opens the participant's sealed data from their registration event (read from the store
 * unless the caller already holds it) and shows it as `role` may see it. `erased` skips
 * the store and the key.
 */
export async function personalView(
  deps: Pick<LedgerDeps, 'store' | 'keys'>,
  participantId: string,
  erased: boolean,
  role: Role,
  sealed?: SealedPersonalData,
): Promise<PersonalView> {
  if (erased) return 'erased';
  if (!sealed) {
    const [registered] = await deps.store.readStream(streams.participant(participantId), { maxCount: 1 });
    if (!registered) return 'erased';
    sealed = (registered.data as Extract<ParticipantEvent, { type: 'ParticipantRegistered' }>['data'])
      .personal;
  }
  const keys = await deps.keys.getMany([participantId]);
  return personalFor(role, openPersonal(keys.get(participantId), participantId, sealed));
}

/**
 * A person's status: 'erased' once their key is gone, 'deceased' once a coverage of theirs was
 * ended for death, 'active' otherwise. With a death, `deceasedOn` is that coverage's last day.
 */
export function participantStatus(
  personal: PersonalView,
  deregistrations: { reason: string | null; lastDay: string | null }[],
): { status: 'active' | 'deceased' | 'erased'; deceasedOn?: string } {
  const death = deregistrations.find((d) => d.reason === 'deceased');
  const status = personal === 'erased' ? 'erased' : death ? 'deceased' : 'active';
  return death?.lastDay ? { status, deceasedOn: death.lastDay } : { status };
}
