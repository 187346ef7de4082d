import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SloDetail } from './SloDetail';
import { testIds } from '../components/testIds';
import { fakeBackend, fakeDataSources, PROXY, renderAt, signInAs, sloItem } from '../utils/testing';
import { releaseState } from '../core/policy/releaseState';

const WAIT = { timeout: 15000 };
const BASE = `${PROXY}/api/v1/slos/llm-gateway/chat-availability`;
const spec = {
  service: 'llm-gateway',
  name: 'chat-availability',
  objective: 0.995,
  groupBy: ['route'],
  sli: { ratio: { errors: 'req_total{code="500"}', total: 'req_total' } },
};
const windows = (r: number) =>
  ['5m', '30m', '1h', '2h', '6h', '1d', '3d', 'period'].map((w) => ({ window: w, errorRatio: r * 0.005, burnRate: r }));

describe('SLO detail', () => {
  beforeEach(() => fakeDataSources());

  it('shows per-route status, alert windows, alerts, freezes, audit and links', async () => {
    fakeBackend()
      .on('GET', BASE, { data: sloItem({ spec, version: 2 }), headers: { ETag: '"2"' } })
      .on('GET', `${BASE}/status`, {
        data: {
          service: 'llm-gateway',
          name: 'chat-availability',
          state: 'freeze',
          evaluatedAt: '2025-11-29T08:00:00.000Z',
          groups: [
            {
              group: { route: '/chat' },
              windows: windows(16),
              currentBurnRate: 16,
              periodBurnRate: 1.1,
              budgetRemaining: -0.1,
              eventsInPeriod: 100000,
              budgetRemainingEvents: -50,
              state: 'freeze',
              reasons: ['error budget remaining -10% is at or below 0%'],
            },
            {
              group: { route: '/summarize' },
              windows: windows(0.2),
              currentBurnRate: 0.2,
              periodBurnRate: 0.2,
              budgetRemaining: 0.8,
              state: 'ship',
              reasons: [],
              exhaustionSeconds: 400000,
            },
          ],
          alerts: [
            {
              labels: { alertname: 'ErrorBudgetBurn', severity: 'page', route: '/chat', alertstate: 'firing' },
              state: 'firing',
            },
          ],
        },
      })
      .on('GET', `${BASE}/history`, {
        data: {
          range: 2592000,
          step: 3600,
          series: {
            budgetRemaining: [
              {
                metric: { route: '/chat' },
                values: [
                  [1764300000, '0.5'],
                  [1764403200, '-0.1'],
                ],
              },
            ],
          },
        },
      })
      .on('GET', `${BASE}/audit`, {
        data: {
          items: [
            {
              id: 1,
              at: '2025-11-29T08:00:00.000Z',
              actor: 'admin',
              action: 'slo.create',
              target: 'llm-gateway/chat-availability',
              detail: { version: 1, changes: { objective: { to: 0.995 } } },
            },
          ],
        },
      })
      .on('GET', `${PROXY}/api/v1/freezes`, {
        data: {
          items: [
            {
              id: 7,
              kind: 'freeze',
              service: 'llm-gateway',
              route: '/chat',
              reason: 'incident 42',
              expiresAt: '2025-11-29T09:53:20.000Z',
              createdBy: 'alice',
              createdAt: '2025-11-29T07:06:40.000Z',
            },
          ],
        },
      });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');

    const groups = await screen.findByTestId(testIds.detail.groups, {}, WAIT);
    await waitFor(() => expect(within(groups).getByText('route=/chat')).toBeInTheDocument(), WAIT);
    expect(within(groups).getByText('-10.0%')).toBeInTheDocument();
    expect(within(groups).getByText(/at or below 0%/)).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.detail.state)).getByText('freeze')).toBeInTheDocument();

    // 4 alert windows per route; /chat burns 16x everywhere: over every threshold.
    const w = screen.getByTestId(testIds.detail.windows);
    expect(within(w).getAllByText('route=/chat')).toHaveLength(4);
    expect(within(w).getAllByText('over')).toHaveLength(4);
    expect(within(w).getAllByText('14.4x')).toHaveLength(2);

    expect(screen.getByTestId(testIds.detail.alerts)).toHaveTextContent('ErrorBudgetBurn');
    await waitFor(() => expect(screen.getByTestId(testIds.detail.freezes)).toHaveTextContent('incident 42'), WAIT);
    expect(screen.getByTestId(testIds.detail.policy)).toHaveTextContent('burn rate over period is above 2x');
    await waitFor(
      () => expect(screen.getByTestId(testIds.detail.audit)).toHaveTextContent('version 1: objective changed'),
      WAIT
    );
    await waitFor(
      () => expect(screen.getByTestId(testIds.detail.burndown).querySelector('polyline')).not.toBeNull(),
      WAIT
    );
    const links = within(screen.getByTestId(testIds.detail.links));
    expect(links.getByText('SLO detail dashboard').closest('a')).toHaveAttribute(
      'href',
      '/d/burnrate-slo-detail?var-service=llm-gateway&var-slo=chat-availability'
    );
    expect(
      decodeURIComponent(links.getByText('Raw error ratio (1h) in Explore').closest('a')!.getAttribute('href')!)
    ).toContain('req_total{code=\\"500\\"}');
  });

  it('freezes a route with a reason and an expiry', async () => {
    let active: any[] = [];
    const backend = fakeBackend()
      .on('GET', BASE, { data: sloItem({ spec, version: 2 }), headers: { ETag: '"2"' } })
      // The server merges the freezes in force into the release state, as src/core does.
      .on('GET', `${BASE}/status`, () => ({
        data: {
          service: 'llm-gateway',
          name: 'chat-availability',
          state: 'ship',
          release: releaseState({
            service: 'llm-gateway',
            policy: { state: 'ship', reasons: [] },
            // The API answers times as RFC 3339; the merge takes epoch ms.
            actions: active.map((a: any) => ({ ...a, expiresAt: Date.parse(a.expiresAt), createdAt: Date.parse(a.createdAt) })),
            now: Date.now(),
          }),
          evaluatedAt: '1970-01-01T00:00:00.000Z',
          alerts: [],
          groups: [{ group: { route: '/chat' }, windows: windows(0.5), state: 'ship', reasons: [] }],
        },
      }))
      .on('GET', `${BASE}/history`, { data: { range: 1, step: 1, series: {} } })
      .on('GET', `${BASE}/audit`, { data: { items: [] } })
      .on('GET', `${PROXY}/api/v1/freezes`, () => ({ data: { items: active } }))
      .on('POST', `${PROXY}/api/v1/freezes`, (c) => {
        active = [
          { id: 1, ...c.data, expiresAt: new Date(Date.now() + 4 * 3600e3).toISOString(), createdBy: 'grafana', createdAt: new Date().toISOString() },
        ];
        return { status: 201, data: active[0] };
      });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    const reason = await screen.findByTestId(testIds.detail.freezeReason, {}, WAIT);
    expect(screen.getByTestId(testIds.detail.freezeSubmit)).toBeDisabled();
    fireEvent.change(reason, { target: { value: 'incident 43: provider outage' } });
    fireEvent.click(screen.getByTestId(testIds.detail.freezeSubmit));
    await waitFor(
      () => expect(screen.getByTestId(testIds.detail.freezes)).toHaveTextContent('incident 43: provider outage'),
      WAIT
    );
    // The page asks for the release state again: the freeze shows at once, in the header.
    await waitFor(
      () =>
        expect(screen.getByTestId(testIds.detail.reason)).toHaveTextContent(
          /^freeze: manual, incident 43: provider outage, until .* UTC, set by the token named grafana$/
        ),
      WAIT
    );
    expect(backend.calls.find((c) => c.method === 'POST')!.data).toEqual({
      kind: 'freeze',
      service: 'llm-gateway',
      route: undefined,
      reason: 'incident 43: provider outage',
      duration: '4h',
    });
  });

  it('shows the history fill while it runs, then how much of the period Prometheus held', async () => {
    let backfill: Record<string, unknown> = { state: 'running' };
    fakeBackend()
      .on('GET', BASE, () => ({ data: sloItem({ spec, version: 1, backfill }), headers: { ETag: '"1"' } }))
      .on('GET', `${BASE}/status`, {
        data: {
          service: 'llm-gateway',
          name: 'chat-availability',
          state: 'ship',
          evaluatedAt: '2025-11-29T08:00:00.000Z',
          groups: [],
        },
      })
      .on('GET', `${BASE}/history`, { data: { range: 1, step: 1, series: {} } })
      .on('GET', `${BASE}/audit`, { data: { items: [] } })
      .on('GET', `${PROXY}/api/v1/freezes`, { data: { items: [] } });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    const notice = await screen.findByTestId(testIds.detail.backfill, {}, WAIT);
    expect(notice).toHaveTextContent('Filling the history from Prometheus');
    // The page asks again while the fill runs: Prometheus held 10 of the period's 30 days.
    backfill = { state: 'done', coveredHours: 240, periodHours: 720, written: 480 };
    await waitFor(
      () =>
        expect(screen.getByTestId(testIds.detail.backfill)).toHaveTextContent(
          'The budget covers 10 of 30 days: Prometheus holds 10 days'
        ),
      WAIT
    );
  });

  /** An SLO at version 2 with one manual freeze of its service. */
  function oneFrozenSlo() {
    return fakeBackend()
      .on('GET', BASE, { data: sloItem({ spec, version: 2 }), headers: { ETag: '"2"' } })
      .on('GET', `${BASE}/status`, {
        data: { service: 'llm-gateway', name: 'chat-availability', state: 'ship', groups: [], alerts: [] },
      })
      .on('GET', `${BASE}/audit`, { data: { items: [] } })
      .on('GET', `${PROXY}/api/v1/freezes`, {
        data: {
          items: [
            {
              id: 7,
              kind: 'freeze',
              service: 'llm-gateway',
              reason: 'incident 42',
              expiresAt: '2025-11-29T09:53:20.000Z',
              createdBy: 'alice',
              createdAt: '2025-11-29T07:06:40.000Z',
            },
          ],
        },
      });
  }

  it('shows a viewer the freezes but no way to change them, and why', async () => {
    signInAs('Viewer');
    oneFrozenSlo();
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    await waitFor(() => expect(screen.getByTestId(testIds.detail.freezes)).toHaveTextContent('incident 42'), WAIT);
    expect(screen.queryByTestId(testIds.detail.revoke(7))).toBeNull();
    expect(screen.queryByTestId(testIds.detail.freezeForm)).toBeNull();
    expect(screen.getByTestId(testIds.detail.readOnly)).toHaveTextContent(
      'Your Grafana role is Viewer: creating, editing, deleting, freezing and overriding need Editor or Admin.'
    );
    expect(screen.getByTestId(testIds.detail.edit)).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.detail.delete)).toHaveAttribute('aria-disabled', 'true');
  });

  it('revokes a freeze only after a confirmation', async () => {
    const backend = oneFrozenSlo().on('DELETE', `${PROXY}/api/v1/freezes/7`, { status: 204 });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    fireEvent.click(await screen.findByTestId(testIds.detail.revoke(7), {}, WAIT));
    expect(await screen.findByText('Revoke this freeze?', {}, WAIT)).toBeInTheDocument();
    expect(backend.calls.some((c) => c.method !== 'GET')).toBe(false);
    fireEvent.click(screen.getByTestId('data-testid Confirm Modal Danger Button'));
    await waitFor(() => expect(backend.calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/freezes/7'))).toBe(true), WAIT);
  });

  it('deletes the SLO at the version shown, after a confirmation, and goes back to the list', async () => {
    const backend = oneFrozenSlo().on('DELETE', BASE, { status: 204 });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    fireEvent.click(await screen.findByTestId(testIds.detail.delete, {}, WAIT));
    expect(await screen.findByText('Delete llm-gateway/chat-availability?', {}, WAIT)).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('data-testid Confirm Modal Danger Button'));
    expect(await screen.findByTestId('navigated-elsewhere', {}, WAIT)).toBeInTheDocument();
    const del = backend.calls.find((c) => c.method === 'DELETE')!;
    expect(del.headers?.['If-Match']).toBe('"2"');
  });
});
