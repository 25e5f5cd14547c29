import { formatNumber } from '../format';
import { t } from '../i18n/i18n';

/**
 * Previous / next over a paged list, with "shown from–to of total". The texts come from the
 * catalogue section `messages` (its `pages`, `shown`, `previous` and `next`), so each list
 * keeps its own words in both languages.
 */
export function Pager(props: {
  messages: 'claims' | 'roster';
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  onOffset: (offset: number) => void;
}) {
  const { messages, offset, shown, total, pageSize, onOffset } = props;
  return (
    <nav class="pager" aria-label={t(`${messages}.pages`)}>
      <span data-testid={`${messages}-shown`}>
        {t(`${messages}.shown`, {
          from: formatNumber(offset + 1),
          to: formatNumber(offset + shown),
          total: formatNumber(total),
        })}
      </span>
      <button
        type="button"
        class="secondary"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - pageSize))}
      >
        {t(`${messages}.previous`)}
      </button>
      <button
        type="button"
        class="secondary"
        disabled={offset + pageSize >= total}
        onClick={() => onOffset(offset + pageSize)}
      >
        {t(`${messages}.next`)}
      </button>
    </nav>
  );
}
