// A row of command buttons from a layout (the toolbar, a details pane's buttons).
import { Fragment, useMemo } from 'react';
import type { LayoutItem } from '../commands/layouts';
import { runCommand } from '../commands/runner';
import type { CommandScope } from '../commands/types';
import { useCommandContext, viewsOf } from '../commands/use-commands';
import { CommandButton } from './CommandButton';

export function CommandBar(props: {
  layout: readonly LayoutItem[];
  /** test id of a button: prefix + command id, unless the layout item names its own */
  testIdPrefix: string;
  buttonClassName?: string;
  scope?: CommandScope;
}) {
  const ctx = useCommandContext(props.scope);
  // the views change only with the context: a re-render for anything else draws the same buttons
  const views = useMemo(() => viewsOf(props.layout.flatMap((item) => (typeof item === 'string' ? [] : [item.id])), ctx), [props.layout, ctx]);
  return (
    <>
      {props.layout.map((item, i) => {
        if (item === '|') return <span key={`sep-${i}`} className="toolbar-sep" />;
        if (item === '>') return <span key={`fill-${i}`} className="toolbar-fill" />;
        const view = views.get(item.id);
        if (!view || (item.hideWhenDisabled && !view.enabled)) return <Fragment key={item.id} />;
        return (
          <CommandButton
            key={item.id}
            view={view}
            testId={item.testId ?? `${props.testIdPrefix}${item.id}`}
            className={props.buttonClassName}
            iconOnly={item.iconOnly}
            onRun={() => runCommand(item.id, props.scope)}
          />
        );
      })}
    </>
  );
}
