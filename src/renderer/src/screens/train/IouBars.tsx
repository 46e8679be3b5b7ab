import { useMemo } from 'react';
import uPlot from 'uplot';
import type { StudioClass } from '../../../../shared/api';
import { UPlotChart } from '../../components/UPlotChart';

/** Cross-validated IoU per class as bars (classes absent from the annotations are left out). */
export function IouBars({ perClass, classes }: { perClass: (number | null)[]; classes: StudioClass[] }) {
  const shown = useMemo(
    () => classes.filter((c) => perClass[c.index] !== null && perClass[c.index] !== undefined),
    [classes, perClass],
  );
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false, range: [-0.5, shown.length - 0.5] }, y: { range: [0, 1] } },
      legend: { show: false },
      axes: [
        {
          values: (_u, ticks) => ticks.map((t) => shown[t]?.name ?? ''),
          splits: () => shown.map((_, i) => i),
          rotate: -30,
          size: 70,
          gap: 4,
        },
        { label: 'IoU', values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
      ],
      series: [
        {},
        {
          label: 'IoU',
          fill: '#2d72d2aa',
          stroke: '#2d72d2',
          paths: uPlot.paths.bars!({ size: [0.7, 60] }),
          points: { show: false },
        },
      ],
    }),
    [shown],
  );
  const data = useMemo<uPlot.AlignedData>(
    () => [shown.map((_, i) => i), shown.map((c) => perClass[c.index] as number)],
    [shown, perClass],
  );
  return (
    <UPlotChart
      key={shown.map((c) => c.index).join(',')}
      options={options}
      data={data}
      height={240}
      label="Cross-validated IoU per class"
    />
  );
}
