import { useMemo } from 'react';
import type uPlot from 'uplot';
import { UPlotChart } from '../../components/UPlotChart';
import type { LossPoint } from '../../state/store';

const OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
  scales: { x: { time: false } },
  legend: { show: true },
  axes: [{ label: 'optimiser calls' }, { label: 'loss' }],
  series: [
    {},
    { label: 'cross-validation', stroke: '#2d72d2', width: 1.5, spanGaps: false },
    { label: 'ensemble', stroke: '#c87619', width: 1.5, spanGaps: false },
  ],
};

/** The training loss as it comes: cross-validation folds first, then the final ensemble. */
export function LossPlot({ points }: { points: LossPoint[] }) {
  const data = useMemo<uPlot.AlignedData>(
    () => [
      points.map((p) => p.step),
      points.map((p) => (p.phase === 'cv' ? p.loss : null)),
      points.map((p) => (p.phase === 'ensemble' ? p.loss : null)),
    ],
    [points],
  );
  return <UPlotChart options={OPTIONS} data={data} height={220} label="Training loss" />;
}
