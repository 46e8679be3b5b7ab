/**
 * The tools' settings as sliders: brush size (the wand's tolerance while the wand is the tool) and label opacity. The brush slider moves through the
 * same sizes `[` and `]` step through (BRUSH_SIZES), so keys and slider share one range; the opacity
 * slider covers the 0–100 % that `,` and `.` step in. Each slider is named for screen readers and says
 * its value in words (Blueprint's handle would otherwise announce the brush size's step number).
 */
import { Slider, type HandleHtmlProps } from '@blueprintjs/core';
import { chordLabel } from '../actions/keys';
import type { Editor } from '../model/editor';
import { BRUSH_SIZES, type EditorSettings } from '../model/settings';
import { WAND_TOLERANCE_STEP } from '../../../../shared/wand';

/** The step of BRUSH_SIZES for `size`: the largest size not above it. */
export function brushStep(size: number): number {
  let i = 0;
  while (i + 1 < BRUSH_SIZES.length && BRUSH_SIZES[i + 1] <= size) i++;
  return i;
}

function handle(label: string, valueText: string): HandleHtmlProps {
  // aria-valuetext is passed through to the handle like the typed aria-label.
  return { 'aria-label': label, 'aria-valuetext': valueText } as HandleHtmlProps;
}

export function ToolOptions({ settings, editor }: { settings: EditorSettings; editor: Editor }) {
  const size = settings.brushSize;
  const opacity = Math.round(settings.overlayOpacity * 100);
  return (
    <div className="dgs-tool-options" role="group" aria-label="Tool settings">
      {settings.tool === 'wand' ? (
        <WandTolerance settings={settings} editor={editor} />
      ) : (
        <label className="dgs-slider" title={`Brush size in image pixels (${chordLabel('[')} / ${chordLabel(']')})`}>
          <span>Brush</span>
          <Slider
            min={0}
            max={BRUSH_SIZES.length - 1}
            stepSize={1}
            labelRenderer={false}
            value={brushStep(size)}
            onChange={(i) => editor.setBrushSize(BRUSH_SIZES[i])}
            handleHtmlProps={handle('Brush size', `${size} pixels`)}
          />
          <span className="dgs-slider-value">{size} px</span>
        </label>
      )}
      <label className="dgs-slider" title={`Label opacity (${chordLabel(',')} / ${chordLabel('.')})`}>
        <span>Opacity</span>
        <Slider
          min={0}
          max={1}
          stepSize={0.05}
          labelRenderer={false}
          value={settings.overlayOpacity}
          onChange={(v) => editor.setOverlay({ overlayOpacity: v })}
          handleHtmlProps={handle('Label opacity', `${opacity} %`)}
        />
        <span className="dgs-slider-value">{opacity} %</span>
      </label>
    </div>
  );
}

/** The feature wand's tolerance: wider takes in pixels less like the clicks (docs/canvas.md). */
function WandTolerance({ settings, editor }: { settings: EditorSettings; editor: Editor }) {
  const percent = Math.round(settings.wandTolerance * 100);
  return (
    <label
      className="dgs-slider"
      title={`Wand tolerance: wider takes in pixels less like the clicks (${chordLabel('[')} / ${chordLabel(']')})`}
    >
      <span>Tolerance</span>
      <Slider
        min={0}
        max={1}
        stepSize={WAND_TOLERANCE_STEP}
        labelRenderer={false}
        value={settings.wandTolerance}
        onChange={(v) => editor.setWandTolerance(v)}
        handleHtmlProps={handle('Wand tolerance', `${percent} %`)}
      />
      <span className="dgs-slider-value">{percent} %</span>
    </label>
  );
}
