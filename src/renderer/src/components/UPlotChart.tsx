import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

/**
 * A uPlot chart that follows its container's width. Options are read once (make them stable); new data
 * goes in with setData at most once per animation frame, so a live plot never redraws faster than the
 * screen.
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

  useEffect(() => {
    const el = host.current!;
    const plot = new uPlot({ ...options, width: Math.max(100, el.clientWidth), height }, latest.current, el);
    chart.current = plot;
    const ro = new ResizeObserver(([entry]) => plot.setSize({ width: Math.max(100, entry.contentRect.width), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
      chart.current = null;
    };
    // Options are fixed for the chart's life (callers key the chart to change them); data flows
    // through the effect below.
  }, [height]);

  useEffect(() => {
    const frame = requestAnimationFrame(() => chart.current?.setData(latest.current));
    return () => cancelAnimationFrame(frame);
  }, [data]);

  return <div ref={host} className="uplot-host" role="img" aria-label={label} />;
}
