import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, EmptyState, Icon, IconButton, LinkButton, LoadingPlaceholder, Select, Stack, useStyles2 } from '@grafana/ui';
import { useSloList } from '../hooks/useBurnrate';
import { ReleaseStateName } from '../api/types';
import { ReleaseView } from '../components/common/StateBadge';
import { shownState, SortBy, SortColumn, sortSlos } from '../utils/sloListSort';
import { SamplingNote } from '../components/common/SamplingNote';
import { getTableStyles } from '../components/common/tableStyles';
import { ImportModal } from '../components/list/ImportModal';
import { testIds } from '../components/testIds';
import { useWriteAccess } from '../hooks/useWriteAccess';
import { prefixRoute, sloPath } from '../utils/utils.routing';
import { burn, groupText, percent, spentOfBudget } from '../utils/format';
import { ROUTES } from '../constants';

const options = (values: string[]): Array<SelectableValue<string>> => values.map((v) => ({ label: v, value: v }));

export function SloList() {
  const s = useStyles2(getStyles);
  const t = useStyles2(getTableStyles);
  const list = useSloList();
  const { value, error, loading } = list;
  const access = useWriteAccess();
  const [importing, setImporting] = useState(false);
  const [imported, setImported] = useState<string[]>();
  const [service, setService] = useState<string>();
  const [team, setTeam] = useState<string>();
  const [state, setState] = useState<ReleaseStateName>();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const [sortBy, setSortBy] = useState<SortBy>();

  const items = useMemo(() => value?.items ?? [], [value]);
  const services = useMemo(() => [...new Set(items.map((i) => i.service))].sort(), [items]);
  const teams = useMemo(
    () => [...new Set(items.map((i) => i.labels?.team).filter(Boolean) as string[])].sort(),
    [items]
  );
  const rows = useMemo(
    () =>
      sortSlos(
        items.filter(
          (i) =>
            (!service || i.service === service) &&
            (!team || i.labels?.team === team) &&
            (!state || shownState(i) === state)
        ),
        sortBy
      ),
    [items, service, team, state, sortBy]
  );
  // A header sorts by its column; a second click reverses; a third goes back to worst first.
  const header = (column: SortColumn, label: string, numeric = false, title?: string) => {
    const active = sortBy?.column === column;
    return (
      <th
        className={numeric ? 'num' : undefined}
        title={title}
        aria-sort={active ? (sortBy!.descending ? 'descending' : 'ascending') : 'none'}
      >
        <button
          type="button"
          className={s.sortButton}
          data-testid={testIds.list.sort(column)}
          onClick={() =>
            setSortBy(!active ? { column, descending: false } : !sortBy!.descending ? { column, descending: true } : undefined)
          }
        >
          {label}
          {active && <Icon name={sortBy!.descending ? 'arrow-down' : 'arrow-up'} size="sm" />}
        </button>
      </th>
    );
  };

  return (
    <PluginPage
      actions={
        <Stack gap={1}>
          <Button
            icon="upload"
            variant="secondary"
            data-testid={testIds.list.import}
            disabled={!access.canWrite}
            tooltip={access.why}
            onClick={() => setImporting(true)}
          >
            Import
          </Button>
          <LinkButton
            icon="plus"
            href={prefixRoute(ROUTES.New)}
            data-testid={testIds.list.newSlo}
            disabled={!access.canWrite}
            tooltip={access.why}
          >
            New SLO
          </LinkButton>
        </Stack>
      }
    >
      <ImportModal
        isOpen={importing}
        onDismiss={() => setImporting(false)}
        onImported={(created) => {
          setImporting(false);
          setImported(created);
          list.reload();
        }}
      />
      {imported && (
        <Alert severity="success" title={`Imported ${imported.length} SLO${imported.length === 1 ? '' : 's'}`} data-testid={testIds.list.importResult} onRemove={() => setImported(undefined)}>
          {imported.join(', ')}: their rules are delivered on the next reconcile.
        </Alert>
      )}
      <div data-testid={testIds.list.container}>
        <Stack gap={2} wrap="wrap">
          <div className={s.filter} data-testid={testIds.list.filterService}>
            <Select
              aria-label="Service"
              placeholder="All services"
              isClearable
              options={options(services)}
              value={service ?? null}
              onChange={(v) => setService(v?.value)}
            />
          </div>
          <div className={s.filter} data-testid={testIds.list.filterTeam}>
            <Select
              aria-label="Team"
              placeholder="All teams"
              isClearable
              options={options(teams)}
              value={team ?? null}
              onChange={(v) => setTeam(v?.value)}
            />
          </div>
          <div className={s.filter} data-testid={testIds.list.filterState}>
            <Select
              aria-label="State"
              placeholder="Any state"
              isClearable
              options={options(['freeze', 'caution', 'pending', 'unknown', 'ship', 'no-data'])}
              value={state ?? null}
              onChange={(v) => setState(v?.value as ReleaseStateName | undefined)}
            />
          </div>
        </Stack>
        {error && (
          <Alert severity="error" title="Cannot load SLOs" data-testid={testIds.list.error}>
            {error.message}
          </Alert>
        )}
        {value?.statusError && (
          <Alert severity="warning" title="Live numbers are unavailable">
            {value.statusError}
          </Alert>
        )}
        {loading && !value && <LoadingPlaceholder text="Loading SLOs..." />}
        {value && rows.length === 0 && items.length > 0 && (
          <p className={t.muted} data-testid={testIds.list.empty}>
            No SLO matches these filters.
          </p>
        )}
        {value && items.length === 0 && (
          <div data-testid={testIds.list.empty}>
            <EmptyState
              variant="call-to-action"
              message="No SLOs yet"
              button={
                access.canWrite ? (
                  <LinkButton icon="plus" href={prefixRoute(ROUTES.New)}>
                    Create an SLO from a template
                  </LinkButton>
                ) : undefined
              }
            >
              {access.canWrite
                ? 'Start from a template (LLM availability, time to first token, answer quality, cost, ...) or import the SLOs you already keep in Sloth, OpenSLO or Pyrra files with "Import".'
                : access.why}
            </EmptyState>
          </div>
        )}
        {rows.length > 0 && (
          <table className={t.table}>
            <thead>
              <tr>
                <th />
                {header('name', 'SLO')}
                {header('service', 'Service')}
                <th>Kind</th>
                {header('objective', 'Objective', true)}
                {header('budget', 'Budget left', true)}
                {header('periodBurn', 'Burn over period', true, "Burn rate over the SLO's whole period (1x spends the budget exactly)")}
                {header('burn5m', 'Burn 5m', true, 'Burn rate over the last 5 minutes')}
                {header('state', 'State', false, 'The release state: the policy, manual freezes and overrides; its reason names the window')}
              </tr>
            </thead>
            {rows.map((i) => {
              const k = `${i.service}/${i.name}`;
              const groups = i.status?.groups ?? [];
              return (
                <React.Fragment key={k}>
                  <tbody>
                    <tr data-testid={testIds.list.row(i.service, i.name)}>
                      <td>
                        {i.groupBy.length > 0 && (
                          <IconButton
                            name={open[k] ? 'angle-down' : 'angle-right'}
                            aria-label={
                              open[k] ? `Hide ${i.groupBy.join(', ')} rows` : `Show ${i.groupBy.join(', ')} rows`
                            }
                            data-testid={testIds.list.expand(i.service, i.name)}
                            onClick={() => setOpen({ ...open, [k]: !open[k] })}
                          />
                        )}
                      </td>
                      <td>
                        <Link to={sloPath(i.service, i.name)}>{i.name}</Link>
                        {i.description && <div className={t.muted}>{i.description}</div>}
                      </td>
                      <td>{i.service}</td>
                      <td>{i.kind}</td>
                      <td className="num">{i.objective !== undefined ? percent(i.objective, 2) : '–'}</td>
                      <td className="num" data-testid={testIds.list.budget}>
                        {percent(i.status?.budgetRemaining)}
                        {i.groupBy.length === 0 && (
                          <div>
                            <SamplingNote sampling={groups[0]?.sampling} objective={i.objective} />
                          </div>
                        )}
                      </td>
                      <td className="num" data-testid={testIds.list.burn}>
                        {burn(i.status?.periodBurnRate)}
                      </td>
                      <td className="num" data-testid={testIds.list.burnNow}>
                        {burn(i.status?.currentBurnRate)}
                      </td>
                      <td>
                        <ReleaseView
                          release={i.release ?? i.status?.release}
                          fallback={i.status?.state}
                          testId={testIds.list.state}
                          reasonTestId={testIds.list.reason}
                        />
                      </td>
                    </tr>
                  </tbody>
                  {open[k] && (
                    // The SLO's rows per route (or model, ...), under the same columns as the SLO.
                    <tbody data-testid={testIds.list.groups(i.service, i.name)} className={s.groups}>
                      {groups.length === 0 && (
                        <tr>
                          <td />
                          <td colSpan={8} className={t.muted}>
                            No data per {i.groupBy.join(', ')} yet.
                          </td>
                        </tr>
                      )}
                      {groups.map((g) => (
                        <tr key={groupText(g.group)}>
                          <td />
                          <td className={s.groupName} colSpan={4}>
                            {groupText(g.group)}
                          </td>
                          <td className="num" data-testid={testIds.list.budget}>
                            {percent(g.budgetRemaining)}
                            {g.budgetEvents !== undefined && (
                              <span className={t.muted}> ({spentOfBudget(g)} spent)</span>
                            )}
                            <div>
                              <SamplingNote sampling={g.sampling} objective={i.objective} />
                            </div>
                          </td>
                          <td className="num" data-testid={testIds.list.burn}>
                            {burn(g.periodBurnRate)}
                          </td>
                          <td className="num" data-testid={testIds.list.burnNow}>
                            {burn(g.currentBurnRate)}
                          </td>
                          <td>
                            <ReleaseView release={g.release} fallback={g.state} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  )}
                </React.Fragment>
              );
            })}
          </table>
        )}
      </div>
    </PluginPage>
  );
}

export default SloList;

const getStyles = (theme: GrafanaTheme2) => ({
  filter: css({ minWidth: 200, marginBottom: theme.spacing(2) }),
  groups: css({ background: theme.colors.background.secondary }),
  sortButton: css({
    all: 'unset',
    cursor: 'pointer',
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    '&:focus-visible': { outline: `2px solid ${theme.colors.primary.main}` },
  }),
  groupName: css({ paddingLeft: `${theme.spacing(3)} !important`, fontFamily: theme.typography.fontFamilyMonospace }),
});
