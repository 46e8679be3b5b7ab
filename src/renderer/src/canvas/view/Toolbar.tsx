/**
 * Tools, polygon mode, undo/redo, pre-label and view controls (Blueprint); in a row on top it also holds
 * the tool settings (ToolOptions), which the left column leaves to a bar above the canvas so it fits.
 */
import { Button, ButtonGroup, Divider } from '@blueprintjs/core';
import { ToolIcon } from './tool-icons';
import { HeatGrid, Layers, Minus, OneToOne, PredictiveAnalysis, Redo, Undo, ZoomToFit } from '@blueprintjs/icons';
import type { ActionContext, EditorAction } from '../actions/registry';
import { BUILT_IN_ACTIONS, blockedReason, isActionEnabled, toolActionId } from '../actions/registry';
import { chordLabel } from '../actions/keys';
import { TOOLS } from '../tools';
import { ToolOptions } from './ToolOptions';
import type { EditorView } from './use-editor-view';

const byId = new Map(BUILT_IN_ACTIONS.map((a) => [a.id, a]));

/** "Label (Key)" for a button's tooltip. */
function title(a: EditorAction): string {
  return `${a.label} (${a.keys.map(chordLabel).join(' / ')})`;
}

export interface ToolbarProps {
  view: EditorView;
  context: ActionContext;
  hasUncertainty: boolean;
  /** 'left': a vertical tool column (the studio's CVAT-like layout); 'top' (default): one row. */
  placement?: 'top' | 'left';
}

export function Toolbar({ view, context, hasUncertainty, placement = 'top' }: ToolbarProps) {
  const vertical = placement === 'left';
  const { settings } = view;
  const { editor } = context;
  const act = (id: string) => {
    const a = byId.get(id)!;
    // Off for a read-only project, with the reason as the tooltip (the button's own title otherwise).
    return {
      title: blockedReason(a, context) ?? title(a),
      disabled: !isActionEnabled(a, context),
      onClick: () => a.run(context),
    };
  };
  return (
    <div
      className={`dgs-toolbar${vertical ? ' dgs-toolbar-left' : ''}`}
      role="toolbar"
      aria-label="Annotation tools"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
    >
      <ButtonGroup variant="minimal" vertical={vertical}>
        {TOOLS.map(({ id, label }) => (
          <Button
            key={id}
            icon={<ToolIcon tool={id} />}
            active={settings.tool === id}
            aria-label={label}
            {...act(toolActionId(id))}
          />
        ))}
      </ButtonGroup>
      <Button
        variant="minimal"
        icon={<Minus />}
        active={settings.polygonMode === 'subtract'}
        aria-label="Subtract mode"
        {...act('polygon.subtract')}
      />
      <Divider className="dgs-divider" />
      <ButtonGroup variant="minimal" vertical={vertical}>
        <Button icon={<Undo />} aria-label="Undo" {...act('edit.undo')} />
        <Button icon={<Redo />} aria-label="Redo" {...act('edit.redo')} />
        <Button icon={<PredictiveAnalysis />} aria-label="Pre-label" {...act('edit.prelabel')} />
      </ButtonGroup>
      <Divider className="dgs-divider" />
      <ButtonGroup variant="minimal" vertical={vertical}>
        <Button icon={<ZoomToFit />} aria-label="Fit" {...act('view.fit')} />
        <Button icon={<OneToOne />} aria-label="Actual pixels" {...act('view.actual')} />
        <Button icon={<Layers />} active={settings.overlayVisible} aria-label="Show labels" {...act('view.overlay')} />
        <Button
          icon={<HeatGrid />}
          active={settings.uncertaintyVisible}
          aria-label="Show uncertainty"
          {...act('view.uncertainty')}
          disabled={!hasUncertainty}
        />
      </ButtonGroup>
      {!vertical && (
        <>
          <Divider className="dgs-divider" />
          <ToolOptions settings={settings} editor={editor} />
        </>
      )}
    </div>
  );
}
