// A group row of a grouped view: an object type, a tag, a folder or a saved search, with how many objects it holds.
import { useTranslation } from 'react-i18next';
import { storeActions } from '../store/store';
import type { TreeRow } from '../tree/flatten';
import { ROW_HEIGHT } from '../components/TreeItem';
import type { GroupInfo } from './order-builder';
import { Twisty } from '../components/Twisty';

const MARK_PATHS: Record<GroupInfo['icon'], string> = {
  folder: 'M2 4.5 h4 l1.5 1.5 h6.5 v7 h-12 z',
  tag: 'M2.5 2.5 h5 l6 6 -5 5 -6 -6 z M5 5 h0.1',
  search: 'M7 3 a4 4 0 1 1 0 8 a4 4 0 1 1 0 -8 M10 10 l3.5 3.5',
  group: 'M3 3 h4 v4 h-4 z M9 3 h4 v4 h-4 z M3 9 h4 v4 h-4 z M9 9 h4 v4 h-4 z',
};

function GroupMark({ icon }: { icon: GroupInfo['icon'] }) {
  return (
    <svg className="group-mark" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path d={MARK_PATHS[icon]} fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}

export interface GroupItemProps {
  row: TreeRow;
  group: GroupInfo;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  onClick: (e: React.MouseEvent, row: TreeRow, index: number) => void;
  onContextMenu: (e: React.MouseEvent, row: TreeRow) => void;
}

export function GroupItem({ row, group, index, top, selected, focused, onClick, onContextMenu }: GroupItemProps) {
  const { t } = useTranslation();
  const label = group.labelKey ? t(group.labelKey) : (group.label ?? '');
  return (
    <div
      id={`tree-row-${index}`}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-label={label}
      data-testid="tree-row"
      data-key={row.key}
      data-kind="group"
      data-group={group.icon}
      className={`tree-row group-row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${row.match ? ' match' : ''}`}
      style={{ top, height: ROW_HEIGHT, paddingLeft: 4 + row.depth * 16 }}
      onClick={(e) => onClick(e, row, index)}
      onDoubleClick={() => row.hasChildren && storeActions.toggleCollapsed(row.key)}
      onContextMenu={(e) => onContextMenu(e, row)}
    >
      <Twisty row={row} />
      <GroupMark icon={group.icon} />
      <span className="tree-name" data-testid="tree-label">
        {label}
      </span>
      <span className="group-count" data-testid="group-count">
        {t('views.count', { count: group.count })}
      </span>
    </div>
  );
}
