import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { useStudio } from '../state/store';

declare global {
  interface Window {
    /** The charts on screen by their label, for diagnostics in the developer tools and for e2e tests. */
    dgsCharts?: Record<string, uPlot>;
  }
}

/** The chart host's text colour (the theme's, by CSS), and the same colour faint for grid lines. */
function textColour(u: uPlot): string {
  return getComputedStyle(u.root).color;
}
let probe: CanvasRenderingContext2D | null = null;
function faint(u: uPlot): string {
  // Computed colours may come in any CSS form (Blueprint's are partly oklch); a canvas pixel is sRGB.
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return 'rgba(127, 127, 127, 0.18)';
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = textColour(u);
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return `rgba(${r}, ${g}, ${b}, 0.18)`;
}

/**
 * Axis text, labels, ticks and grid in the theme's colours: uPlot draws them on its canvas with the
 * colours it is given (black by default, unreadable on the dark theme's cards), so each is a function
 * that reads the chart's CSS colour when it draws.
 */
function themed(options: Omit<uPlot.Options, 'width' | 'height'>): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    ...options,
    axes: (options.axes ?? [{}, {}]).map((a) => ({
      ...a,
      stroke: textColour,
      grid: { stroke: faint, width: 1, ...a.grid },
      ticks: { stroke: faint, width: 1, ...a.ticks },
    })),
  };
}

/**
 * A uPlot chart that follows its container's width and the studio's theme. Options are read once (make
 * them stable, or key the chart to change them); new data goes in with setData at most once per
 * animation frame, so a live plot never redraws faster than the screen.
 */
export function UPlotChart({
  options,
  data,
  height,
  label,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const theme = useStudio((s) => s.theme);

  useEffect(() => {
    const el = host.current!;
    const plot = new uPlot({ ...themed(options), width: Math.max(100, el.clientWidth), height }, latest.current, el);
    chart.current = plot;
    window.dgsCharts = { ...window.dgsCharts, [label]: plot };
    const ro = new ResizeObserver(([entry]) => plot.setSize({ width: Math.max(100, entry.contentRect.width), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
      chart.current = null;
      if (window.dgsCharts?.[label] === plot) delete window.dgsCharts[label];
    };
    // Options are fixed for the chart's life (callers key the chart to change them); data flows
    // through the effect below.
  }, [height, label]);

  useEffect(() => {
    const frame = requestAnimationFrame(() => chart.current?.setData(latest.current));
    return () => cancelAnimationFrame(frame);
  }, [data]);

  // The theme's class lands on <body> in the app's own effect; redraw on the next frame, after it.
  useEffect(() => {
    const frame = requestAnimationFrame(() => chart.current?.redraw(false, true));
    return () => cancelAnimationFrame(frame);
  }, [theme]);

  return <div ref={host} className="uplot-host" role="img" aria-label={label} />;
}
