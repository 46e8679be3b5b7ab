/** Tools, brush size, polygon mode, undo/redo, pre-label and view controls (Blueprint). */
import { Button, ButtonGroup, Divider, Slider } from '@blueprintjs/core';
import { ToolIcon } from './tool-icons';
import { HeatGrid, Layers, Minus, OneToOne, PredictiveAnalysis, Redo, Undo, ZoomToFit } from '@blueprintjs/icons';
import type { ActionContext, EditorAction } from '../actions/registry';
import { BUILT_IN_ACTIONS, blockedReason, isActionEnabled, toolActionId } from '../actions/registry';
import { chordLabel } from '../actions/keys';
import { TOOLS } from '../tools';
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
      <label className="dgs-slider" title={`Brush size in image pixels (${chordLabel('[')} / ${chordLabel(']')})`}>
        <span>{vertical ? `${settings.brushSize}px` : `Size ${settings.brushSize}px`}</span>
        <Slider
          vertical={vertical}
          min={1}
          max={128}
          stepSize={1}
          labelRenderer={false}
          value={Math.min(128, settings.brushSize)}
          onChange={(v) => editor.setBrushSize(v)}
        />
      </label>
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
      <label className="dgs-slider" title={`Label opacity (${chordLabel(',')} / ${chordLabel('.')})`}>
        <span>{vertical ? 'α' : 'Opacity'}</span>
        <Slider
          vertical={vertical}
          min={0}
          max={1}
          stepSize={0.05}
          labelRenderer={false}
          value={settings.overlayOpacity}
          onChange={(v) => editor.setOverlay({ overlayOpacity: v })}
        />
      </label>
    </div>
  );
}
