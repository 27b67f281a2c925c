// One row's cells: text columns as the column writes them, CPU and memory as bars.
import { localized } from '../../../shared/descriptor';
import type { UsageMissing } from '../../../shared/usage';
import { NodeIcon } from '../components/Icons';
import { descriptorOf } from '../providers/descriptors';
import { useStore } from '../store/store';
import type { GridColumn, GridContext } from './grid-columns';
import type { GridRow } from './grid-rows';
import { UsageCell } from './UsageCell';

const RUNNING = new Set(['running', 'paused', 'unhealthy']);

export function GridCells({ row, columns, ctx }: { row: GridRow; columns: readonly GridColumn[]; ctx: GridContext }) {
  const facet = useStore((s) => descriptorOf(s, s.servers.find((v) => v.id === row.node.serverId)?.type)?.facets.metrics?.usage);
  const reading = ctx.usage.get(row.node.id);
  // the platform's declaration answers before the core does: no source for this kind, or not running
  const declared: UsageMissing | undefined = !facet?.kinds.includes(row.node.kind)
    ? 'no-source'
    : row.node.kind !== 'host' && !RUNNING.has(row.node.state ?? '')
      ? 'not-running'
      : undefined;
  const missing = declared ?? reading?.missing;
  const note = facet?.note ? localized(facet.note, ctx.language) : undefined;
  return (
    <>
      {columns.map((c) => {
        if (c.id === 'cpu') {
          return (
            <span key={c.id} role="gridcell" className="overview-cell numeric">
              <UsageCell share={declared ? undefined : reading?.cpu} text={c.text(row, ctx)} missing={missing} note={note} testId="usage-cpu" />
            </span>
          );
        }
        if (c.id === 'memory' && !declared && reading?.memoryUsed !== undefined && reading.memoryTotal) {
          return (
            <span key={c.id} role="gridcell" className="overview-cell numeric">
              <UsageCell share={reading.memoryUsed / reading.memoryTotal} text={c.text(row, ctx)} missing={undefined} testId="usage-memory" />
            </span>
          );
        }
        const text = c.text(row, ctx);
        return (
          <span key={c.id} role="gridcell" className={`overview-cell${c.numeric ? ' numeric' : ''}`} title={text} data-col={c.id}>
            {c.id === 'name' ? <NodeIcon kind={row.node.kind} state={row.node.state} /> : null}
            {text}
          </span>
        );
      })}
    </>
  );
}
