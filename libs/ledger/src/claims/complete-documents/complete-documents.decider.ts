import { streams, type StreamEvent } from '../../shared/streams';
import type { IsoDate } from '../../shared/dates';
import type { ClaimDocument, ClaimEvent } from '../claim.events';
import { fieldViolation, requireClaimStatus, type ClaimState } from '../claim.state';
import { requiredDocuments } from '../required-documents';

export interface CompleteDocuments {
  type: 'CompleteDocuments';
  /** Documents seen now; they join those given at filing (a later one of a type replaces it). */
  documents: ClaimDocument[];
  completedOn: IsoDate;
  today: IsoDate;
}

/** Marks the checklist complete: every required document has a number and a date, none in the future. */
export function decideCompleteDocuments(
  command: CompleteDocuments,
  state: ClaimState,
): StreamEvent<ClaimEvent>[] {
  const filed = requireClaimStatus(state, ['filed'], 'kelengkapan dokumen');
  const byType = new Map(filed.documents.map((d) => [d.type, d]));
  for (const d of command.documents) byType.set(d.type, d);
  const documents = [...byType.values()];
  const future = documents.find((d) => d.issuedOn > command.today);
  if (future) {
    throw fieldViolation(
      'documents',
      'claim.document.future',
      'Tanggal dokumen tidak boleh sesudah hari ini',
      { type: future.type },
    );
  }
  const missing = requiredDocuments(filed.kind, filed.benefit).filter((t) => !byType.has(t));
  if (missing.length > 0) {
    throw fieldViolation(
      'documents',
      'claim.documents.missing',
      `Dokumen belum lengkap: ${missing.join(', ')}`,
      { missing },
    );
  }
  return [
    {
      streamId: streams.claim(filed.claimId),
      event: {
        type: 'ClaimDocumentsCompleted',
        data: { claimId: filed.claimId, documents, completedOn: command.completedOn },
      },
    },
  ];
}
