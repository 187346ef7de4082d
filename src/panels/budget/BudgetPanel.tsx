import React, { useMemo } from 'react';
import { css, cx } from '@emotion/css';
import { DataQueryError, GrafanaTheme2, LoadingState, locationUtil, PanelProps } from '@grafana/data';
import { Alert, Badge, useStyles2, useTheme2 } from '@grafana/ui';
import { SamplingNote } from '../../components/common/SamplingNote';
import { PLUGIN_BASE_URL } from '../../constants';
import { CompactRows } from './CompactRows';
import { BudgetRow, forecastText, framesToRows, sloPath } from './frames';
import { compactBurnWindow, panelLayout } from './layout';
import { burnText, percent, STATE_LOOK } from './look';
import { MANUAL_NOT_SCRAPED } from './manual';
import { QUERY_A, QUERY_B } from './queries';
import { Sparkline } from './Sparkline';
import { panelTestIds } from './testIds';
import { BudgetOptions, BurnWindow, DEFAULT_OPTIONS } from './types';

function windowTitle(w: BurnWindow): string {
  return w === 'period' ? 'Burn period' : `Burn ${w}`;
}

/** Errors Grafana passes to the panel: data.errors, or the older data.error. */
export function dataErrors(data: { errors?: DataQueryError[]; error?: DataQueryError }): string[] {
  const list = data.errors?.length ? data.errors : data.error ? [data.error] : [];
  return list.map((e) => [e.refId ? `${e.refId}: ` : '', e.message ?? e.data?.message ?? 'query failed'].join(''));
}

export function BudgetPanel({ data, options: given, width, height, timeRange }: PanelProps<BudgetOptions>) {
  const options = { ...DEFAULT_OPTIONS, ...given };
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const windows = options.windows?.length ? options.windows : DEFAULT_OPTIONS.windows;
  const { rows, ignored, manualExported } = useMemo(
    () => framesToRows(data.series, { windows, forecastWindow: options.forecastWindow, sort: options.sort }),
    [data.series, windows, options.forecastWindow, options.sort]
  );
  const hidden = useMemo(
    () =>
      new Set(
        (options.hideLabels ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      ),
    [options.hideLabels]
  );
  const errors = dataErrors(data);
  const color = (name: string) => theme.visualization.getColorByName(name);

  const budgetColor = (b: number | undefined) =>
    b === undefined
      ? theme.colors.text.disabled
      : b * 100 < options.budgetCritical
        ? color('red')
        : b * 100 < options.budgetWarning
          ? color('orange')
          : color('green');
  const burnColor = (b: number | undefined) =>
    b === undefined
      ? theme.colors.text.disabled
      : b >= options.burnCritical
        ? color('red')
        : b >= options.burnWarning
          ? color('orange')
          : theme.colors.text.primary;

  const from = timeRange?.from?.valueOf?.() ?? 0;
  const to = timeRange?.to?.valueOf?.() ?? 0;
  const anyPending = rows.some((r) => r.budgetRemaining === undefined);

  const errorBox = errors.length > 0 && (
    <Alert title="The data source returned an error" severity="error" data-testid={panelTestIds.error}>
      {errors.map((e, i) => (
        <div key={i}>{e}</div>
      ))}
      {rows.length > 0 && <div>The rows below come from the queries that answered.</div>}
    </Alert>
  );

  if (!rows.length) {
    if (data.state === LoadingState.Loading) {
      return <div className={s.center}>Loading…</div>;
    }
    return (
      <div className={s.container} style={{ width, height }} data-testid={panelTestIds.container}>
        {errorBox}
        {!errors.length && (
          <div className={s.empty} data-testid={panelTestIds.empty}>
            <div className={s.emptyTitle}>No SLO data</div>
            <div>
              {ignored > 0
                ? `The queries returned ${ignored} series, none of them Burnrate SLO series. Select the slo:* series by name, or set each query's legend to the metric name.`
                : 'No Burnrate SLO series in the selected time range. Check the data source, the service variable, and that Burnrate rules are loaded.'}
            </div>
            <div>Expected queries (Prometheus or Mimir data source, format Time series):</div>
            <div className={s.hint}>A, Instant: {QUERY_A}</div>
            <div className={s.hint}>B, Range (the trend): {QUERY_B}</div>
          </div>
        )}
      </div>
    );
  }

  if (panelLayout(width, height) === 'compact') {
    return (
      <div className={s.container} style={{ width, height }} data-testid={panelTestIds.container}>
        {errorBox}
        <CompactRows
          rows={rows}
          window={compactBurnWindow(windows)}
          hidden={hidden}
          showLinks={options.showLinks}
          budgetColor={budgetColor}
          burnColor={burnColor}
        />
        {!manualExported && (
          <div className={s.footnote} data-testid={panelTestIds.manualMissing}>
            {MANUAL_NOT_SCRAPED}
          </div>
        )}
      </div>
    );
  }

  const trendWidth = Math.max(60, Math.min(160, Math.floor(width * 0.14)));
  return (
    <div className={s.container} style={{ width, height }} data-testid={panelTestIds.container}>
      {errorBox}
      <table className={s.table}>
        <thead>
          <tr>
            <th>SLO</th>
            <th>State</th>
            <th className={s.budgetCol}>Budget left</th>
            {windows.map((w) => (
              <th key={w} className={s.num} title={`Burn rate over ${w === 'period' ? "the SLO's period" : w}`}>
                {windowTitle(w)}
              </th>
            ))}
            {options.showForecast && (
              <th className={s.num} title={`Budget left x period / burn rate over ${options.forecastWindow}`}>
                Spent in
              </th>
            )}
            {options.showTrend && <th>Trend</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Row
              key={r.key}
              row={r}
              options={options}
              windows={windows}
              hidden={hidden}
              budgetColor={budgetColor(r.budgetRemaining)}
              burnColor={burnColor}
              trend={
                options.showTrend ? (
                  r.trend.length > 1 ? (
                    <Sparkline
                      points={r.trend}
                      from={from}
                      to={to}
                      width={trendWidth}
                      height={24}
                      color={budgetColor(r.budgetRemaining)}
                      zeroColor={theme.colors.text.disabled}
                      testId={panelTestIds.trend}
                    />
                  ) : (
                    <span className={s.muted}>–</span>
                  )
                ) : null
              }
              s={s}
            />
          ))}
        </tbody>
      </table>
      {!manualExported && (
        <div className={s.footnote} data-testid={panelTestIds.manualMissing}>
          {MANUAL_NOT_SCRAPED}
        </div>
      )}
      {anyPending && (
        <div className={s.footnote}>
          Budget, period burn and release state come from hourly rollups: a new SLO shows its burn rates first, and
          its budget after the first rollup.
        </div>
      )}
    </div>
  );
}

interface RowProps {
  row: BudgetRow;
  options: BudgetOptions;
  windows: BurnWindow[];
  hidden: Set<string>;
  budgetColor: string;
  burnColor: (b: number | undefined) => string;
  trend: React.ReactNode;
  s: ReturnType<typeof getStyles>;
}

function Row({ row: r, options, windows, hidden, budgetColor, burnColor, trend, s }: RowProps) {
  const theme = useTheme2();
  const release = r.release;
  const look = STATE_LOOK[release?.state ?? (r.state === 'unknown' ? 'no-data' : r.state)];
  const labels = Object.entries(r.labels).filter(([k]) => !hidden.has(k));
  const name = r.slo || '(no slo label)';
  const href = locationUtil.assureBaseUrl(sloPath(PLUGIN_BASE_URL, r.service, r.slo));
  const fill = r.budgetRemaining === undefined ? 0 : Math.max(0, Math.min(1, r.budgetRemaining));
  return (
    <tr data-testid={panelTestIds.row(r.service, r.slo)} data-labels={labels.map(([k, v]) => `${k}=${v}`).join(',')}>
      <td className={s.sloCell}>
        <div className={s.sloName}>
          {options.showLinks && r.slo && r.service ? (
            <a href={href} className={s.link} title={`Open ${r.service}/${r.slo} in Burnrate`}>
              {name}
            </a>
          ) : (
            name
          )}
          <span className={s.muted}>{r.service}</span>
        </div>
        {labels.length > 0 && (
          <div className={s.labels}>
            {labels.map(([k, v]) => (
              <span key={k} className={s.label}>
                {k}={v}
              </span>
            ))}
          </div>
        )}
        {r.sampling && (
          <div className={s.labels} data-testid={panelTestIds.sampling}>
            <SamplingNote sampling={r.sampling} objective={r.objective} />
          </div>
        )}
      </td>
      <td>
        <Badge color={look.color} text={look.text} icon={look.icon} data-testid={panelTestIds.state} />
        {release && release.source !== 'policy' && (
          <span className={s.muted}>{release.source === 'manual-freeze' ? ' manual' : ' override'}</span>
        )}
        {release && (
          <div className={s.note} data-testid={panelTestIds.reason}>
            {release.reason}
          </div>
        )}
      </td>
      <td className={s.budgetCol}>
        {r.budgetRemaining === undefined ? (
          <span className={s.note} data-testid={panelTestIds.note}>
            {r.notes[0]}
          </span>
        ) : (
          <div className={s.budget}>
            <div
              className={s.bar}
              style={r.budgetRemaining <= 0 ? { background: theme.colors.error.transparent } : undefined}
              title={r.budgetRemaining <= 0 ? 'overspent' : undefined}
              role="meter"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(fill * 100)}
              aria-label="error budget left"
            >
              <div className={s.barFill} style={{ width: `${fill * 100}%`, background: budgetColor }} />
            </div>
            <span className={s.budgetNum} style={{ color: budgetColor }} data-testid={panelTestIds.budget}>
              {percent(r.budgetRemaining)}
            </span>
          </div>
        )}
      </td>
      {windows.map((w) => (
        <td key={w} className={s.num} style={{ color: burnColor(r.burn[w]) }} data-testid={panelTestIds.burn(w)}>
          {burnText(r.burn[w])}
        </td>
      ))}
      {options.showForecast && (
        <td
          className={cx(s.num, r.forecastSeconds === 0 && s.spent)}
          data-testid={panelTestIds.forecast}
          title={r.forecastWindow ? `at the ${r.forecastWindow} burn rate` : undefined}
        >
          {forecastText(r)}
        </td>
      )}
      {options.showTrend && <td className={s.trendCell}>{trend}</td>}
    </tr>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  center: css({ display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      verticalAlign: 'middle',
      whiteSpace: 'nowrap',
    },
    th: {
      position: 'sticky',
      top: 0,
      background: theme.colors.background.primary,
      color: theme.colors.text.secondary,
      fontWeight: theme.typography.fontWeightMedium,
      textAlign: 'left',
      zIndex: 1,
    },
    'tbody tr:hover': { background: theme.colors.action.hover },
  }),
  num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', '&&': { textAlign: 'right' } }),
  sloCell: css({ minWidth: 160 }),
  sloName: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'baseline' }),
  link: css({ color: theme.colors.text.link, fontWeight: theme.typography.fontWeightMedium, '&:hover': { textDecoration: 'underline' } }),
  labels: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), marginTop: 2 }),
  label: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(0, 0.5),
  }),
  muted: css({ color: theme.colors.text.secondary }),
  budgetCol: css({ minWidth: 150, width: '22%' }),
  budget: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  bar: css({
    flex: 1,
    height: 10,
    minWidth: 60,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    overflow: 'hidden',
  }),
  barFill: css({ height: '100%' }),
  budgetNum: css({ minWidth: 56, textAlign: 'right', fontVariantNumeric: 'tabular-nums', fontWeight: theme.typography.fontWeightMedium }),
  note: css({ color: theme.colors.text.secondary, fontStyle: 'italic', whiteSpace: 'normal' }),
  spent: css({ color: theme.visualization.getColorByName('red') }),
  trendCell: css({ lineHeight: 0 }),
  empty: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    padding: theme.spacing(2),
    color: theme.colors.text.secondary,
  }),
  emptyTitle: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary }),
  hint: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize, whiteSpace: 'normal', wordBreak: 'break-word' }),
  footnote: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
