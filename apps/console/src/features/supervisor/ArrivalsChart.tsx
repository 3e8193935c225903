import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { Empty } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Floor } from './useFloor.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Tickets arriving per minute over the last hour, stacked by category (ECharts, canvas). */
export function ArrivalsChart({ arrivals }: { arrivals: Floor['arrivals'] }) {
  const { t, i18n } = useTranslation();
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { type: 'scroll', top: 0 },
        grid: { left: 36, right: 12, top: 36, bottom: 24 },
        xAxis: { type: 'category', data: arrivals.minutes.map((m) => dayjs(m).format('HH:mm')) },
        yAxis: { type: 'value', minInterval: 1 },
        series: arrivals.series.map((s) => ({
          name: t(`category.${s.category}`),
          type: 'bar',
          stack: 'arrivals',
          data: s.counts,
        })),
      },
      { notMerge: true },
    );
  }, [arrivals, t, i18n.language]);

  // A quiet hour draws only axes, which reads as "not loaded": say that nothing arrived.
  const isQuiet = arrivals.series.every((s) => s.counts.every((count) => count === 0));
  return (
    <div style={{ position: 'relative' }}>
      <div
        ref={element}
        role="img"
        aria-label={t('supervisor.arrivals')}
        data-testid="arrivals-chart"
        style={{ height: 260, width: '100%' }}
      />
      {isQuiet && (
        <Empty
          className="chart-empty"
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('supervisor.noArrivals')}
        />
      )}
    </div>
  );
}
