import type { EnrollmentEvent, SeatsEvent } from '../../enrollment/enrollment.events';
import type { NikRegistryEvent, SealedPersonalData } from '../../participants/participant.events';
import type { IsoDate } from '../../shared/dates';
import type { Reason } from '../../shared/rule-violation';
import { RuleViolation } from '../../shared/rule-violation';
import { streams, type StreamEvent } from '../../shared/streams';
import { REPORTER_RELATIONSHIPS, type DeathReportedEvent, type DeathReporter } from '../claim.events';
import type { ClaimGuardState } from '../claim.state';

export interface ReportDeath {
  type: 'ReportDeath';
  reportId: string;
  participantId: string;
  villageCode: string;
  dateOfDeath: IsoDate;
  reportedOn: IsoDate;
  reporter: DeathReporter;
  certificate: { number: string; issuedOn: IsoDate };
  /** The participant's birth date, opened from their sealed data. */
  birthDate: IsoDate;
  today: IsoDate;
  /** Seals the reporter under the participant's key (the handler holds the key). */
  seal: (reporter: DeathReporter) => SealedPersonalData;
  /**
   * The coverage running on the date of death and its deregistration (reason `deceased`, from
   * that day), built by the handler with the enrollment's own decider; absent when none ran.
   */
  coverage?: {
    enrollmentId: string;
    programId: string;
    deregistration: () => StreamEvent<EnrollmentEvent | SeatsEvent | NikRegistryEvent>[];
  };
}

/** Every broken rule of the report's shape, each naming its field. */
function checkReport(command: ReportDeath): void {
  const reasons: Reason[] = [];
  const add = (field: string, rule: string, message: string) => reasons.push({ field, rule, message });
  if (command.dateOfDeath > command.today)
    add('dateOfDeath', 'death.dateOfDeath.future', 'Tanggal kematian tidak boleh sesudah hari ini');
  if (command.dateOfDeath < command.birthDate)
    add('dateOfDeath', 'death.dateOfDeath.beforeBirth', 'Tanggal kematian tidak boleh sebelum tanggal lahir');
  if (command.reportedOn < command.dateOfDeath || command.reportedOn > command.today)
    add('reportedOn', 'death.reportedOn', 'Tanggal lapor harus antara tanggal kematian dan hari ini');
  if (command.certificate.issuedOn < command.dateOfDeath || command.certificate.issuedOn > command.today)
    add(
      'certificate.issuedOn',
      'death.certificate.issuedOn',
      'Akta kematian terbit antara tanggal kematian dan hari ini',
    );
  if (!REPORTER_RELATIONSHIPS.includes(command.reporter.relationship))
    add(
      'reporter.relationship',
      'death.reporter.relationship',
      `Hubungan pelapor wajib: ${REPORTER_RELATIONSHIPS.join(', ')}`,
    );
  if (!command.reporter.name?.trim()) add('reporter.name', 'death.reporter.name', 'Nama pelapor wajib diisi');
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
 * Records a death reported without a claim. One death per person: a death already claimed or
 * reported is refused. The coverage running that day ends on it (reason `deceased`) in the
 * same append, so the months paid after it become refundable; a JKM claim filed later for
 * this death links to the report and ends nothing more.
 */
export function decideDeathReport(
  command: ReportDeath,
  guard: ClaimGuardState,
): StreamEvent<DeathReportedEvent | EnrollmentEvent | SeatsEvent | NikRegistryEvent>[] {
  checkReport(command);
  if (guard.deathClaimId !== null || guard.deathReport !== null) {
    throw new RuleViolation(
      'death.exists',
      'Kematian peserta ini sudah tercatat',
      'conflict',
      guard.deathReport
        ? { deathReportId: guard.deathReport.reportId }
        : { deathClaimId: guard.deathClaimId },
    );
  }
  const { coverage } = command;
  return [
    {
      streamId: streams.claimGuard(command.participantId),
      event: {
        type: 'DeathReported',
        data: {
          reportId: command.reportId,
          participantId: command.participantId,
          enrollmentId: coverage?.enrollmentId ?? null,
          programId: coverage?.programId ?? null,
          villageCode: command.villageCode,
          dateOfDeath: command.dateOfDeath,
          reportedOn: command.reportedOn,
          reporterRelationship: command.reporter.relationship,
          reporter: command.seal(command.reporter),
          certificate: command.certificate,
          coverageEnded: coverage !== undefined,
        },
      },
    },
    ...(coverage ? coverage.deregistration() : []),
  ];
}
