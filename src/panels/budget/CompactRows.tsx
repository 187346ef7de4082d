// The panel in a small cell: one line per SLO and route with its release state, budget left and one
// burn rate, the full reason in the line's tooltip. Same words and colors as the table.

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, locationUtil } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import { PLUGIN_BASE_URL } from '../../constants';
import { BudgetRow, sloPath } from './frames';
import { burnText, percent, STATE_LOOK } from './look';
import { panelTestIds } from './testIds';
import { BurnWindow } from './types';

interface Props {
  rows: BudgetRow[];
  window: BurnWindow;
  hidden: Set<string>;
  showLinks: boolean;
  budgetColor: (b: number | undefined) => string;
  burnColor: (b: number | undefined) => string;
}

export function CompactRows({ rows, window, hidden, showLinks, budgetColor, burnColor }: Props) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.list} data-testid={panelTestIds.compact}>
      <div className={s.head}>
        <span>SLO</span>
        <span className={s.num}>budget</span>
        <span className={s.num}>burn {window === 'period' ? 'period' : window}</span>
      </div>
      {rows.map((r) => {
        const look = STATE_LOOK[r.release?.state ?? (r.state === 'unknown' ? 'no-data' : r.state)];
        const labels = Object.entries(r.labels)
          .filter(([k]) => !hidden.has(k))
          .map(([, v]) => v)
          .join(' ');
        const name = r.slo || '(no slo label)';
        return (
          <div
            key={r.key}
            className={s.line}
            title={[`${r.service}/${name}${labels ? ` ${labels}` : ''}`, r.release?.reason, r.notes[0]].filter(Boolean).join('\n')}
            data-testid={panelTestIds.row(r.service, r.slo)}
          >
            <span className={s.what}>
              <Badge color={look.color} text={look.text} icon={look.icon} data-testid={panelTestIds.state} />
              {showLinks && r.slo && r.service ? (
                <a className={s.link} href={locationUtil.assureBaseUrl(sloPath(PLUGIN_BASE_URL, r.service, r.slo))}>
                  {name}
                </a>
              ) : (
                <span>{name}</span>
              )}
              {labels && <span className={s.muted}>{labels}</span>}
            </span>
            <span className={s.num} style={{ color: budgetColor(r.budgetRemaining) }} data-testid={panelTestIds.budget}>
              {percent(r.budgetRemaining)}
            </span>
            <span className={s.num} style={{ color: burnColor(r.burn[window]) }} data-testid={panelTestIds.burn(window)}>
              {burnText(r.burn[window])}
            </span>
          </div>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const grid = { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto auto', columnGap: theme.spacing(1.5), alignItems: 'center' };
  return {
    list: css({ fontSize: theme.typography.bodySmall.fontSize, minWidth: 0 }),
    head: css({ ...grid, color: theme.colors.text.secondary, padding: theme.spacing(0, 0.5) }),
    line: css({
      ...grid,
      padding: theme.spacing(0.25, 0.5),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      '&:hover': { background: theme.colors.action.hover },
    }),
    what: css({
      display: 'flex',
      gap: theme.spacing(0.75),
      alignItems: 'center',
      minWidth: 0,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      textOverflow: 'ellipsis',
    }),
    link: css({ color: theme.colors.text.link, fontWeight: theme.typography.fontWeightMedium, overflow: 'hidden', textOverflow: 'ellipsis' }),
    muted: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis' }),
    num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
  };
};
