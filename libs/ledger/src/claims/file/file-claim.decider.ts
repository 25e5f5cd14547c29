import type { NikRegistryEvent } from '../../participants/participant.events';
import type { SealedPersonalData } from '../../participants/participant.events';
import type { Reason } from '../../shared/rule-violation';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { EnrollmentEvent, SeatsEvent } from '../../enrollment/enrollment.events';
import {
  HEIR_RELATIONSHIPS,
  type ClaimBenefit,
  type ClaimContributionCheckedEvent,
  type ClaimDocument,
  type ClaimEvent,
  type ClaimGuardEvent,
  type ClaimKind,
  type Heir,
} from '../claim.events';
import { checkGuard, type ClaimGuardState } from '../claim.state';
import { eligibilityReasons, type EligibilityFacts } from '../eligibility';
import { monthOf } from '../../contributions/obligation';

export interface FileClaim {
  type: 'FileClaim';
  claimId: string;
  participantId: string;
  enrollmentId: string;
  programId: string;
  ownerRegion: string;
  villageCode: string;
  kind: ClaimKind;
  benefit: ClaimBenefit;
  eventDate: IsoDate;
  reportedOn: IsoDate;
  heirs: Heir[];
  documents: ClaimDocument[];
  declaredIncome: number;
  /** The participant's birth date, opened from their sealed data. */
  birthDate: IsoDate;
  today: IsoDate;
  facts: Omit<EligibilityFacts, 'kind' | 'eventDate' | 'reportedOn' | 'today'>;
  /** Seals the heirs under the participant's key (I/O-free: the handler holds the key). */
  seal: (heirs: Heir[]) => SealedPersonalData;
  /**
   * The deregistration a death of a covered participant decides (reason `deceased`, from the
   * date of death), written with the claim. The handler builds it with the enrollment's own
   * decider; absent when the enrollment no longer runs on that day.
   */
  deregistration?: () => StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[];
}

const ACCOUNT_NUMBER = /^\d{5,20}$/;
const NIK_SHAPE = /^\d{16}$/;
const MAX_HEIRS = 20;

/** Every broken rule of the request's shape, each naming its field; nothing is decided yet. */
export function checkFiling(
  command: Pick<FileClaim, 'kind' | 'benefit' | 'eventDate' | 'reportedOn' | 'heirs' | 'birthDate' | 'today'>,
): void {
  const reasons: Reason[] = [];
  const add = (field: string, rule: string, message: string) => reasons.push({ field, rule, message });
  if (command.kind === 'JKM' && command.benefit !== 'death')
    add('benefit', 'claim.benefit', 'Klaim JKM hanya untuk kematian (death)');
  if (command.eventDate > command.today)
    add('eventDate', 'claim.eventDate.future', 'Tanggal kejadian tidak boleh sesudah hari ini');
  if (command.eventDate < command.birthDate)
    add(
      'eventDate',
      'claim.eventDate.beforeBirth',
      'Tanggal kejadian tidak boleh sebelum tanggal lahir peserta',
    );
  if (command.reportedOn < command.eventDate || command.reportedOn > command.today)
    add('reportedOn', 'claim.reportedOn', 'Tanggal lapor harus antara tanggal kejadian dan hari ini');
  if (command.benefit === 'death' && command.heirs.length === 0)
    add('heirs', 'claim.heirs.required', 'Klaim kematian memerlukan paling sedikit satu ahli waris');
  if (command.heirs.length > MAX_HEIRS)
    add('heirs', 'claim.heirs.tooMany', `Paling banyak ${MAX_HEIRS} ahli waris`);
  command.heirs.slice(0, MAX_HEIRS).forEach((heir, i) => {
    if (!HEIR_RELATIONSHIPS.includes(heir.relationship))
      add(
        `heirs[${i}].relationship`,
        'claim.heir.relationship',
        'Hubungan ahli waris wajib: spouse, child, parent atau other',
      );
    if (!ACCOUNT_NUMBER.test(heir.accountNumber ?? ''))
      add(`heirs[${i}].accountNumber`, 'claim.heir.accountNumber', 'Nomor rekening hanya angka, 5–20 digit');
    if (!NIK_SHAPE.test(heir.nik ?? ''))
      add(`heirs[${i}].nik`, 'claim.heir.nik', 'NIK ahli waris harus 16 digit angka');
    if (!heir.name?.trim()) add(`heirs[${i}].name`, 'claim.heir.name', 'Nama ahli waris wajib diisi');
  });
  if (reasons.length > 0) {
    throw new RuleViolation(
      reasons[0].rule,
      reasons[0].message,
      'unprocessable',
      { field: reasons[0].field },
      reasons,
    );
  }
}

/**
 * Files a claim. A claim that fails an eligibility rule is still recorded, with its reasons,
 * so officers see why; the guard refuses a second open claim of the kind and a second death.
 * A death of a covered participant ends the coverage on the date of death, in the same append.
 * The month's dues stream gets a mark, so the contribution rule is decided on it too.
 */
export function decideFiling(
  command: FileClaim,
  guard: ClaimGuardState,
): StreamEvent<
  | ClaimEvent
  | ClaimGuardEvent
  | ClaimContributionCheckedEvent
  | EnrollmentEvent
  | SeatsEvent
  | NikRegistryEvent
>[] {
  checkFiling(command);
  const death = command.benefit === 'death';
  checkGuard(guard, command.kind, death, command.claimId, command.eventDate);
  // A reported death already ended the coverage: the claim is for that death, not a second one.
  const reported = death ? guard.deathReport : null;
  const reasons = eligibilityReasons({
    ...command.facts,
    kind: command.kind,
    eventDate: command.eventDate,
    reportedOn: command.reportedOn,
    today: command.today,
  });
  const { claimId } = command;
  const covered = !reasons.includes('not_covered_on_event_date');
  return [
    {
      streamId: streams.claim(claimId),
      event: {
        type: 'ClaimFiled',
        data: {
          claimId,
          participantId: command.participantId,
          enrollmentId: command.enrollmentId,
          programId: command.programId,
          ownerRegion: command.ownerRegion,
          villageCode: command.villageCode,
          kind: command.kind,
          benefit: command.benefit,
          eventDate: command.eventDate,
          reportedOn: command.reportedOn,
          heirs: command.heirs.length ? command.seal(command.heirs) : null,
          heirCount: command.heirs.length,
          childHeirCount: command.heirs.filter((h) => h.relationship === 'child').length,
          documents: command.documents,
          eligible: reasons.length === 0,
          reasons,
          coverageFrom: command.facts.coverage?.from ?? null,
          declaredIncome: command.declaredIncome,
          deathReportId: reported?.reportId ?? null,
        },
      },
    },
    {
      streamId: streams.claimGuard(command.participantId),
      event: { type: 'ClaimOpened', data: { claimId, kind: command.kind, death } },
    },
    {
      streamId: streams.dues(command.programId, monthOf(command.eventDate)),
      event: {
        type: 'ClaimContributionChecked',
        data: {
          claimId,
          enrollmentId: command.enrollmentId,
          month: monthOf(command.eventDate),
          paid: command.facts.contribution.paid,
        },
      },
    },
    ...(death && covered && !reported && command.deregistration ? command.deregistration() : []),
  ];
}
