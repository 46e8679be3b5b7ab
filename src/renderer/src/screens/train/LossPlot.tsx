import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../../components/UPlotChart';
import type { LossPoint } from '../../state/store';
import { lossChartData, type LossSeries } from './loss-series';

/** Cross-validation stacks in blues and greens (told apart by the legend), the final ensemble in orange. */
const FOLD_COLOURS = ['#2d72d2', '#238c2c', '#7961db', '#00a396', '#d13913', '#68c1ee'];
const ENSEMBLE_COLOUR = '#c87619';

/** Whole-number tick spacings only: the x axis counts optimiser steps. */
const WHOLE_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 1e6];

function options(series: LossSeries[]): Omit<uPlot.Options, 'width' | 'height'> {
  let fold = 0;
  return {
    scales: { x: { time: false } },
    legend: { show: true, live: true },
    cursor: { points: { show: true } },
    axes: [
      {
        label: 'optimiser steps per member',
        incrs: WHOLE_INCRS,
        values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t.toLocaleString('en-US') : '')),
      },
      { label: 'loss' },
    ],
    series: [
      { label: 'step', value: (_u, v) => (v == null ? '–' : v.toLocaleString('en-US')) },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.phase === 'ensemble' ? ENSEMBLE_COLOUR : FOLD_COLOURS[fold++ % FOLD_COLOURS.length],
        width: 1.5,
        spanGaps: false,
        value: (_u: uPlot, v: number | null) => (v == null ? '–' : v.toFixed(4)),
      })),
    ],
  };
}

/**
 * The training loss as it comes: each stack of cross-validation folds, then the final ensemble, as
 * its own line; the legend shows each one's value under the cursor.
 */
export function LossPlot({ points }: { points: LossPoint[] }) {
  const chart = useMemo(() => lossChartData(points), [points]);
  const labels = chart.series.map((s) => s.label).join('|');
  // A new series (the next stack, the ensemble) remounts the chart with it; points flow in as data.
  const opts = useMemo(() => options(chart.series), [labels]);
  const data = useMemo<uPlot.AlignedData>(() => [chart.x, ...chart.y], [chart]);
  return <UPlotChart key={labels} options={opts} data={data} height={220} label="Training loss" />;
}
