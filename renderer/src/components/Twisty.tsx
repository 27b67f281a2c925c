// The open/closed mark of a tree row that has children; a click toggles it without selecting the row.
import { storeActions } from '../store/store';
import type { TreeRow } from '../tree/flatten';

export function Twisty({ row }: { row: TreeRow }) {
  return (
    <span
      className={`twisty${row.hasChildren ? (row.expanded ? ' open' : ' closed') : ''}`}
      onClick={(e) => {
        if (!row.hasChildren) return;
        e.stopPropagation();
        storeActions.toggleCollapsed(row.key);
      }}
      aria-hidden="true"
    />
  );
}
