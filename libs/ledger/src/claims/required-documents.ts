import type { ClaimBenefit, ClaimKind, DocumentType } from './claim.events';

/** The checklist of a claim, by kind and benefit (DOMAIN: who files, which documents). */
export function requiredDocuments(kind: ClaimKind, benefit: ClaimBenefit): DocumentType[] {
  const death: DocumentType[] = [
    'participant_card',
    'id_cards',
    'death_certificate',
    'family_card',
    'heirs_certificate',
    'bank_book',
  ];
  if (kind === 'JKM') return death;
  if (benefit === 'death') return [...death, 'accident_report', 'doctors_letter'];
  return ['participant_card', 'id_cards', 'accident_report', 'doctors_letter', 'bank_book'];
}
