// One SLO: budget burndown over the window, burn rate for every alert window, per-route table with
// freeze badges, firing alerts, the policy and manual freezes/overrides, the audit trail, and
// links to the shipped dashboards and to the raw queries in Explore.

import React, { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  ConfirmModal,
  FieldSet,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  TextLink,
  useStyles2,
} from '@grafana/ui';
import { useAudit, useFreezes, useSlo, useSloHistory, useSloStatus } from '../hooks/useBurnrate';
import { useDataSources } from '../hooks/useDataSource';
import { useAppSettings } from '../components/App/context';
import { ReleaseView } from '../components/common/StateBadge';
import { releaseState } from '../core/policy/releaseState';
import type { ManualAction, ReleaseState } from '../api/types';
import { AuditTrail } from '../components/detail/AuditTrail';
import { AlertsSection } from '../components/detail/AlertsSection';
import { SamplingNote } from '../components/common/SamplingNote';
import { ReleaseSection } from '../components/detail/ReleaseSection';
import { api } from '../api/client';
import { useWriteAccess } from '../hooks/useWriteAccess';
import { LineChart } from '../components/common/LineChart';
import { getTableStyles } from '../components/common/tableStyles';
import { testIds } from '../components/testIds';
import { validateSpec } from '../domain/spec';
import { alertWindows } from '../core/rules/burnRateWindows';
import { previewQueries } from '../core/rules/sliSignals';
import { burn, duration, groupText, percent, spentOfBudget } from '../utils/format';
import { coverageText } from '../core/policy/status';
import { BackfillNotice } from '../components/detail/BackfillNotice';
import { sloPageNav } from '../utils/pageNav';
import { dashboardUrl, exploreUrl, prefixRoute, sloPath } from '../utils/utils.routing';
import { DASHBOARDS, ROUTES } from '../constants';

/** The release state while the server cannot read Prometheus: manual actions decide, else unknown. */
function releaseWhileDown(service: string, why: string, actions: ManualAction[]): ReleaseState {
  const stored = actions.map((a) => ({ ...a, expiresAt: Date.parse(a.expiresAt), createdAt: Date.parse(a.createdAt) }));
  const { until, ...rest } = releaseState({ service, unavailable: why, actions: stored, now: Date.now() });
  return until === undefined ? rest : { ...rest, until: new Date(until).toISOString() };
}

function fmtWindow(seconds: number): string {
  return seconds >= 86400 ? `${seconds / 86400}d` : seconds >= 3600 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

export function SloDetail() {
  const { service = '', name = '' } = useParams();
  const t = useStyles2(getTableStyles);
  const settings = useAppSettings();
  const slo = useSlo(service, name);
  const status = useSloStatus(service, name);
  const history = useSloHistory(service, name);
  const audit = useAudit(service, name);
  const freezes = useFreezes(service);
  const access = useWriteAccess();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  // A freeze or override changes the release state at once: ask for it again with the list and trail.
  const afterAction = () => {
    freezes.reload();
    audit.reload();
    status.reload();
  };
  const promSources = useDataSources('prometheus');
  const ds = promSources.find((d) => d.uid === settings.defaultPrometheusUid) ?? promSources[0];

  const model = useMemo(() => (slo.value?.spec ? validateSpec(slo.value.spec).slo : undefined), [slo.value]);
  const windows = model ? alertWindows(model.window) : [];
  const sel = `{slo="${name}", slo_service="${service}"}`;

  const toLines = useMemo(
    () => (key: string) =>
      (history.value?.series?.[key] ?? []).map((ser) => ({
        name: groupText(Object.fromEntries((model?.groupBy ?? []).map((l) => [l, ser.metric[l] ?? '']))),
        points: ser.values.map(([ts, v]) => [ts, Number(v)] as [number, number]).filter(([, v]) => Number.isFinite(v)),
      })),
    [history.value, model]
  );
  // Prometheus down: the same merge the server makes, from the freezes the server still lists.
  const statusError = status.error;
  const release = useMemo(
    () =>
      status.value?.release ??
      (statusError && freezes.value
        ? releaseWhileDown(service, statusError.message, freezes.value)
        : undefined),
    [status.value, statusError, freezes.value, service]
  );
  const burndown = toLines('budgetRemaining');
  const burnHistory = toLines('currentBurnRate');

  if (slo.error) {
    return (
      <PluginPage>
        <Alert severity="error" title={`Cannot load ${service}/${name}`}>
          {slo.error.message}
        </Alert>
      </PluginPage>
    );
  }
  if (!slo.value) {
    return (
      <PluginPage>
        <LoadingPlaceholder text="Loading the SLO..." />
      </PluginPage>
    );
  }
  const item = slo.value;
  const groups = status.value?.groups ?? [];
  const alertsUnknown = status.error
    ? `firing alerts are unknown: ${status.error.message}`
    : status.value?.alertsError;
  const routes = [...new Set(groups.map((g) => g.group.route).filter(Boolean))] as string[];
  const rawQueries =
    model && ds
      ? (() => {
          try {
            return previewQueries(model, 3600);
          } catch {
            return undefined;
          }
        })()
      : undefined;

  return (
    <PluginPage
      pageNav={sloPageNav(service, name)}
      actions={
        <Stack gap={1}>
          <LinkButton
            icon="pen"
            href={sloPath(service, name, true)}
            data-testid={testIds.detail.edit}
            disabled={item.source === 'git' || !access.canWrite}
            tooltip={item.source === 'git' ? `It comes from git (${item.sourcePath ?? 'the GitOps folder'}): change the file` : access.why}
          >
            Edit
          </LinkButton>
          <Button
            icon="trash-alt"
            variant="destructive"
            fill="outline"
            data-testid={testIds.detail.delete}
            disabled={item.source === 'git' || !access.canWrite}
            tooltip={item.source === 'git' ? 'It comes from git: remove the file' : access.why}
            onClick={() => setDeleting(true)}
          >
            Delete
          </Button>
        </Stack>
      }
    >
      <ConfirmModal
        isOpen={deleting}
        title={`Delete ${service}/${name}?`}
        body={`Its recording and alerting rules are removed from every target on the next delivery, and its budget and release state are gone from the app, the panel and the gate. The audit trail keeps the deletion.${deleteError ? ` Not deleted: ${deleteError}` : ''}`}
        confirmText="Delete"
        onConfirm={() =>
          api.deleteSlo(service, name, item.version).then(
            () => navigate(prefixRoute(ROUTES.List)),
            (e: Error) => setDeleteError(e.message)
          )
        }
        onDismiss={() => {
          setDeleting(false);
          setDeleteError(undefined);
        }}
      />
      <div data-testid={testIds.detail.container}>
        <Stack gap={2} alignItems="center" wrap="wrap">
          <span data-testid={testIds.detail.state}>
            <ReleaseView release={release} fallback={status.value?.state} reasonTestId={testIds.detail.reason} />
          </span>
          <Badge color="blue" text={item.kind} />
          {item.objective !== undefined && <span className={t.muted}>objective {percent(item.objective, 2)}</span>}
          <span className={t.muted}>window {item.window}</span>
          {item.source === 'git' && <Badge color="purple" text="from git" icon="code-branch" />}
          {(item.sync ?? []).map((x) => (
            <Badge
              key={x.target}
              color={x.state === 'in-sync' ? 'green' : x.state === 'failed' ? 'red' : 'orange'}
              text={`${x.target}: ${x.state}`}
              tooltip={x.reason}
            />
          ))}
        </Stack>
        {item.description && <p className={t.muted}>{item.description}</p>}
        <BackfillNotice backfill={item.backfill} />
        {status.error && (
          <Alert severity="warning" title="Live status is unavailable">
            {status.error.message}
          </Alert>
        )}

        <FieldSet label="Error budget remaining over the window" className={t.section}>
          {history.error ? (
            <Alert severity="warning" title="No history">
              {history.error.message}
            </Alert>
          ) : history.loading && !history.value ? (
            <LoadingPlaceholder text="Loading history..." />
          ) : (
            <LineChart series={burndown} reference={0} format={(v) => percent(v, 0)} testId={testIds.detail.burndown} />
          )}
        </FieldSet>

        {burnHistory.some((x) => x.points.length > 0) && (
          <FieldSet label="Burn rate (5m) over the window" className={t.section}>
            <LineChart
              series={burnHistory}
              reference={1}
              format={(v) => burn(v)}
              testId={testIds.detail.burnHistory}
              height={140}
            />
          </FieldSet>
        )}

        <FieldSet label={`Per ${model?.groupBy.length ? model.groupBy.join(', ') : 'SLO'}`} className={t.section}>
          <table className={t.table} data-testid={testIds.detail.groups}>
            <thead>
              <tr>
                <th>{model?.groupBy.join(', ') || 'group'}</th>
                <th>State</th>
                <th className="num">Budget left</th>
                <th className="num">Spent of budget</th>
                <th className="num">Covers</th>
                <th className="num" title="Burn rate over the last 5 minutes">Burn 5m</th>
                <th className="num" title="Burn rate over the SLO's whole period">Burn over period</th>
                <th className="num">Runs out in</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {groups.length === 0 && (
                <tr>
                  <td colSpan={9} className={t.muted}>
                    {status.loading ? 'Loading...' : "No data yet: Prometheus has not recorded this SLO's series."}
                  </td>
                </tr>
              )}
              {groups.map((g) => (
                <tr key={groupText(g.group)}>
                  <td>{groupText(g.group)}</td>
                  <td>
                    <ReleaseView release={g.release} fallback={g.state} />
                  </td>
                  <td className="num">
                    {percent(g.budgetRemaining)}
                    <div>
                      <SamplingNote
                        sampling={g.sampling}
                        objective={model?.objective}
                        agreementMinimum={model?.sli.kind === 'quality' ? model.sli.agreement?.minimum : undefined}
                      />
                    </div>
                  </td>
                  <td className="num">{spentOfBudget(g)}</td>
                  <td className="num">{model ? (coverageText(model, g.coverage) ?? '–') : '–'}</td>
                  <td className="num">{burn(g.currentBurnRate)}</td>
                  <td className="num">{burn(g.periodBurnRate)}</td>
                  <td className="num">{duration(g.exhaustionSeconds)}</td>
                  <td className={t.muted}>{g.reasons.join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </FieldSet>

        <FieldSet label="Burn rate per alert window" className={t.section}>
          <table className={t.table} data-testid={testIds.detail.windows}>
            <thead>
              <tr>
                <th>{model?.groupBy.join(', ') || 'group'}</th>
                <th>Severity</th>
                <th>Windows (long / short)</th>
                <th className="num">Threshold</th>
                <th className="num">Burn (long)</th>
                <th className="num">Burn (short)</th>
                <th>Firing?</th>
              </tr>
            </thead>
            <tbody>
              {(groups.length
                ? groups
                : [{ group: {}, windows: [] as Array<{ window: string; burnRate?: number }> }]
              ).flatMap((g) =>
                windows.map((w) => {
                  const long = g.windows.find((x) => x.window === fmtWindow(w.longSeconds))?.burnRate;
                  const short = g.windows.find((x) => x.window === fmtWindow(w.shortSeconds))?.burnRate;
                  const over = long !== undefined && short !== undefined && long > w.factor && short > w.factor;
                  return (
                    <tr key={`${groupText(g.group)}-${w.longSeconds}`}>
                      <td>{groupText(g.group)}</td>
                      <td>{w.severity}</td>
                      <td>
                        {fmtWindow(w.longSeconds)} / {fmtWindow(w.shortSeconds)}
                      </td>
                      <td className="num">{burn(w.factor)}</td>
                      <td className="num">{burn(long)}</td>
                      <td className="num">{burn(short)}</td>
                      <td>
                        {over ? (
                          <Badge color="red" text="over" />
                        ) : (
                          // Without both burn rates nobody can say: unknown, not "no".
                          <span className={t.muted}>{long === undefined || short === undefined ? 'unknown' : 'no'}</span>
                        )}
                      </td>
                    </tr>
                  );
                })
              )}
            </tbody>
          </table>
        </FieldSet>

        <AlertsSection
          alerts={status.value?.alerts}
          unknown={alertsUnknown}
          loading={!status.value}
          groupBy={model?.groupBy ?? []}
        />

        <ReleaseSection
          service={service}
          model={model}
          freezes={freezes.value ?? []}
          routes={routes}
          access={access}
          onChanged={afterAction}
        />

        <FieldSet label="Links" className={t.section}>
          <Stack gap={2} wrap="wrap" data-testid={testIds.detail.links}>
            <TextLink href={dashboardUrl(DASHBOARDS.detail, { service, slo: name })}>SLO detail dashboard</TextLink>
            <TextLink href={dashboardUrl(DASHBOARDS.overview, { service })}>Service overview dashboard</TextLink>
            <TextLink href={dashboardUrl(DASHBOARDS.llmService, { service })}>LLM service dashboard</TextLink>
            {ds && (
              <TextLink href={exploreUrl(ds, `slo:period_error_budget_remaining:ratio${sel}`, 'now-7d')}>
                Budget series in Explore
              </TextLink>
            )}
            {ds && <TextLink href={exploreUrl(ds, `slo:current_burn_rate:ratio${sel}`)}>Burn rate in Explore</TextLink>}
            {ds && rawQueries && rawQueries.language === 'promql' && (
              <TextLink href={exploreUrl(ds, rawQueries.errorRatio)}>Raw error ratio (1h) in Explore</TextLink>
            )}
          </Stack>
        </FieldSet>

        <AuditTrail entries={audit.value ?? []} />
      </div>
    </PluginPage>
  );
}

export default SloDetail;

