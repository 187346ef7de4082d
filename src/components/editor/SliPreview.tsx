import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, FieldSet, LoadingPlaceholder, TextLink, useStyles2 } from '@grafana/ui';
import { Slo } from '../../core/spec/types';
import { DataSourceRef } from '../../api/datasource';
import { AsyncState } from '../../hooks/useAsync';
import { Preview, previewRefreshMs } from '../../hooks/useDataSource';
import { getTableStyles } from '../common/tableStyles';
import { testIds } from '../testIds';
import { count, groupText, percent } from '../../utils/format';
import { exploreUrl } from '../../utils/utils.routing';

interface Props {
  slo?: Slo;
  ds?: DataSourceRef;
  preview: AsyncState<Preview>;
}

/** The SLI on real data before saving: last hour and last day, per group. It asks again on its
 * own (see useSliPreview) and on demand, and says when it last asked. */
export function SliPreview({ slo, ds, preview }: Props) {
  const t = useStyles2(getTableStyles);
  const s = useStyles2(getStyles);
  const cost = slo?.sli.kind === 'cost';
  const sliText = (ratio?: number) => {
    if (ratio === undefined) {
      return '–';
    }
    if (cost) {
      return `${Number(ratio.toPrecision(3))} ${slo?.sli.kind === 'cost' ? slo.sli.currency : ''}/req`;
    }
    return percent(1 - ratio, 3);
  };
  return (
    <FieldSet label="Live SLI preview">
      <div data-testid={testIds.editor.preview}>
        {!slo && <p className={t.muted}>The preview runs once the SLO is valid.</p>}
        {slo && !ds && <p className={t.muted}>Pick a data source to preview the SLI.</p>}
        {slo && ds && preview.loading && !preview.value && <LoadingPlaceholder text={`Querying ${ds.name}...`} />}
        {preview.error && (
          <Alert severity="warning" title="The preview query failed">
            {preview.error.message}
          </Alert>
        )}
        {slo && preview.value && (
          <>
            {preview.value.rows.length === 0 ? (
              <p className={t.muted}>No events in the last day: check the queries and labels.</p>
            ) : (
              <table className={t.table}>
                <thead>
                  <tr>
                    <th>{slo.groupBy.length ? slo.groupBy.join(', ') : 'SLI'}</th>
                    <th className="num">{cost ? 'cost' : 'good'} (1h)</th>
                    <th className="num">{cost ? 'cost' : 'good'} (1d)</th>
                    <th className="num">events (1d)</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.value.rows.map((r) => {
                    const below = !cost && r.errorRatio1h !== undefined && 1 - r.errorRatio1h < slo.objective;
                    return (
                      <tr key={groupText(r.group)}>
                        <td>{groupText(r.group)}</td>
                        <td className={`num ${below ? s.bad : ''}`}>{sliText(r.errorRatio1h)}</td>
                        <td className="num">{sliText(r.errorRatio1d)}</td>
                        <td className="num">{count(r.events1d)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            {ds && (
              <div className={s.status}>
                <span data-testid={testIds.editor.previewAskedAt}>
                  {preview.updatedAt !== undefined &&
                    `Asked ${ds.name} at ${dateTimeFormat(preview.updatedAt, { format: 'HH:mm:ss' })}`}
                  {`; asks again every ${previewRefreshMs(preview.value) / 1000} s`}
                </span>
                <Button
                  data-testid={testIds.editor.previewRefresh}
                  size="sm"
                  variant="secondary"
                  fill="text"
                  icon={preview.loading ? 'fa fa-spinner' : 'sync'}
                  disabled={preview.loading}
                  onClick={preview.reload}
                >
                  Refresh
                </Button>
              </div>
            )}
            {ds && (
              <p className={s.links}>
                Queries in Explore:{' '}
                <TextLink href={exploreUrl(ds, preview.value.queries.errorRatio1h)} external>
                  error ratio (1h)
                </TextLink>
                {preview.value.queries.events1d && (
                  <>
                    {' · '}
                    <TextLink href={exploreUrl(ds, preview.value.queries.events1d, 'now-1d')} external>
                      events (1d)
                    </TextLink>
                  </>
                )}
              </p>
            )}
          </>
        )}
      </div>
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bad: css({ color: theme.colors.error.text }),
  links: css({ marginTop: theme.spacing(1), color: theme.colors.text.secondary }),
  status: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
    color: theme.colors.text.secondary,
  }),
});
