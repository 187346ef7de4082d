// The list and the detail page show the server's one release state with its reason (issue 16):
// a manual freeze reads "freeze: manual, ...", a new SLO with filling windows "pending" (never
// "no data") and sorts with the SLOs that need a look; firing alerts are "unknown" when
// Prometheus cannot say. The release objects come from the same merge the server runs.

import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import { SloList } from './SloList';
import { sortWorstFirst } from '../utils/sloListSort';
import { SloDetail } from './SloDetail';
import { testIds } from '../components/testIds';
import { fakeBackend, fakeDataSources, PROXY, renderAt, sloItem } from '../utils/testing';
import { ManualAction, releaseState } from '../core/policy/releaseState';
import type { ManualAction as ApiAction } from '../api/types';
// A stored action as the API lists it (times in RFC 3339): the server's own conversion.
import { actionAnswer as asListed } from '../server/timestamps';

const WAIT = { timeout: 15000 };
const now = Date.parse('2026-12-06T12:00:00Z');
const freeze: ManualAction = {
  id: 3,
  kind: 'freeze',
  service: 'llm-gateway',
  reason: 'incident 42',
  expiresAt: Date.parse('2026-12-06T16:00:00Z'),
  createdBy: 'on-call',
  createdAt: now,
};
const FREEZE_WORDS = 'freeze: manual, incident 42, until 16:00 UTC, set by the token named on-call';
const PENDING_WORDS =
  'pending: rules loaded, the period windows are filling: the budget appears after the first hourly rollup (up to an hour after the rules load); burn 12x now, 10.5x over 1h';
const pendingPolicy = { state: 'pending' as const, reasons: [PENDING_WORDS.slice('pending: '.length)] };

const frozen = releaseState({ service: 'llm-gateway', policy: { state: 'ship', reasons: [] }, actions: [freeze], now });
const pending = releaseState({ service: 'search', policy: pendingPolicy, actions: [], now });
const ship = releaseState({ service: 'search', policy: { state: 'ship', reasons: [] }, actions: [], now });

const items = [
  sloItem({
    service: 'search',
    name: 'search-ok',
    groupBy: [],
    release: ship,
    status: { state: 'ship', release: ship, budgetRemaining: 0.9, currentBurnRate: 0.1, groups: [] },
  }),
  sloItem({
    service: 'search',
    name: 'search-new',
    groupBy: [],
    release: pending,
    status: { state: 'pending', release: pending, currentBurnRate: 12, groups: [] },
  }),
  sloItem({
    name: 'chat-availability',
    release: frozen,
    status: {
      state: 'ship',
      release: frozen,
      budgetRemaining: 0.82,
      currentBurnRate: 0.4,
      groups: [{ group: { route: '/chat' }, state: 'ship', release: frozen, budgetRemaining: 0.82, currentBurnRate: 0.4 }],
    },
  }),
];

describe('release state in the app', () => {
  beforeEach(() => fakeDataSources());

  it('the merge gives the words the pages show', () => {
    expect(frozen.reason).toBe(FREEZE_WORDS);
    expect(pending.reason).toBe(PENDING_WORDS);
  });

  it('sorts a manual freeze first, a pending SLO burning 12x before one that ships (never last as "no data")', () => {
    expect(sortWorstFirst(items as any).map((i) => i.name)).toEqual(['chat-availability', 'search-new', 'search-ok']);
  });

  it('the list shows "freeze: manual, ..." though the policy says ship, and "pending" with its burn', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items, total: 3, limit: 1000, offset: 0 } });
    renderAt('slos', <SloList />, 'slos');
    const chat = await screen.findByTestId(testIds.list.row('llm-gateway', 'chat-availability'), {}, WAIT);
    expect(within(chat).getByTestId(testIds.list.state)).toHaveTextContent('freeze');
    expect(within(chat).getByTestId(testIds.list.reason)).toHaveTextContent(FREEZE_WORDS);
    const fresh = screen.getByTestId(testIds.list.row('search', 'search-new'));
    expect(within(fresh).getByTestId(testIds.list.state)).toHaveTextContent('pending');
    expect(within(fresh).getByTestId(testIds.list.state)).not.toHaveTextContent('no data');
    expect(within(fresh).getByTestId(testIds.list.reason)).toHaveTextContent(PENDING_WORDS);
    expect(within(fresh).getByTestId(testIds.list.burnNow)).toHaveTextContent('12.0x');
  });

  it('the list with Prometheus down: the manual freeze still shows, the others say unknown and why', async () => {
    const down = 'Prometheus is unavailable: connect ECONNREFUSED';
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, {
      data: {
        items: [
          sloItem({ name: 'chat-availability', release: releaseState({ service: 'llm-gateway', unavailable: down, actions: [freeze], now }) }),
          sloItem({ service: 'search', name: 'search-ok', groupBy: [], release: releaseState({ service: 'search', unavailable: down, actions: [freeze], now }) }),
        ],
        total: 2,
        limit: 1000,
        offset: 0,
        statusError: down,
      },
    });
    renderAt('slos', <SloList />, 'slos');
    const chat = await screen.findByTestId(testIds.list.row('llm-gateway', 'chat-availability'), {}, WAIT);
    expect(within(chat).getByTestId(testIds.list.reason)).toHaveTextContent(FREEZE_WORDS);
    const other = screen.getByTestId(testIds.list.row('search', 'search-ok'));
    expect(within(other).getByTestId(testIds.list.state)).toHaveTextContent('unknown');
    expect(within(other).getByTestId(testIds.list.reason)).toHaveTextContent(`unknown: ${down}`);
  });

  const BASE = `${PROXY}/api/v1/slos/llm-gateway/chat-availability`;
  const spec = { service: 'llm-gateway', name: 'chat-availability', objective: 0.99, groupBy: ['route'], sli: { ratio: { errors: 'e', total: 't' } } };
  const detailBackend = (status: Record<string, unknown> | { status: number; data: unknown }, actions: ApiAction[] = [asListed(freeze)]) =>
    fakeBackend()
      .on('GET', BASE, { data: sloItem({ spec }), headers: { ETag: '"1"' } })
      .on('GET', `${BASE}/status`, 'data' in status ? (status as any) : { data: status })
      .on('GET', `${BASE}/history`, { data: { range: 1, step: 1, series: {} } })
      .on('GET', `${BASE}/audit`, {
        data: {
          items: [{ id: 9, at: new Date(now).toISOString(), actor: 'on-call', action: 'freeze.create', target: 'llm-gateway', detail: asListed(freeze) }],
        },
      })
      .on('GET', `${PROXY}/api/v1/freezes`, { data: { items: actions } });

  it('the detail page shows the same state and words, per group too, and the freeze in the audit trail', async () => {
    detailBackend({
      service: 'llm-gateway',
      name: 'chat-availability',
      state: 'ship',
      release: frozen,
      evaluatedAt: now,
      alerts: [],
      groups: [{ group: { route: '/chat' }, windows: [], state: 'ship', reasons: [], release: frozen }],
    });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    const reason = await screen.findByTestId(testIds.detail.reason, {}, WAIT);
    expect(reason).toHaveTextContent(FREEZE_WORDS);
    expect(screen.getByTestId(testIds.detail.state)).toHaveTextContent('freeze');
    expect(screen.getByTestId(testIds.detail.groups)).toHaveTextContent(FREEZE_WORDS);
    await waitFor(() => expect(screen.getByTestId(testIds.detail.audit)).toHaveTextContent('freeze: incident 42, until'), WAIT);
    expect(screen.getByTestId(testIds.detail.alerts)).toHaveTextContent('No alert of this SLO is firing.');
  });

  it('the detail page of a pending SLO: pending with its burn, its firing page alert, and windows without numbers say unknown, not no', async () => {
    const p = releaseState({ service: 'llm-gateway', policy: pendingPolicy, actions: [], now });
    detailBackend({
      service: 'llm-gateway',
      name: 'chat-availability',
      state: 'pending',
      release: p,
      evaluatedAt: now,
      alerts: [{ labels: { alertname: 'ErrorBudgetBurn', severity: 'page', route: '/chat', alertstate: 'firing' }, state: 'firing' }],
      groups: [{ group: { route: '/chat' }, windows: [{ window: '5m', burnRate: 12 }], currentBurnRate: 12, state: 'pending', reasons: pendingPolicy.reasons, release: p }],
    });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    const reason = await screen.findByTestId(testIds.detail.reason, {}, WAIT);
    expect(reason).toHaveTextContent(PENDING_WORDS);
    expect(screen.getByTestId(testIds.detail.state)).toHaveTextContent('pending');
    expect(screen.getByTestId(testIds.detail.state)).not.toHaveTextContent('no data');
    expect(screen.getByTestId(testIds.detail.alerts)).toHaveTextContent('ErrorBudgetBurn');
    // 1h/5m: 5m known (12x), 1h not yet: the windows table cannot say, so "unknown".
    expect(within(screen.getByTestId(testIds.detail.windows)).getAllByText('unknown').length).toBeGreaterThan(0);
    expect(within(screen.getByTestId(testIds.detail.windows)).queryAllByText('no')).toHaveLength(0);
  });

  it('the detail page with Prometheus down: the manual freeze from the server\'s list decides, and firing alerts are unknown, not "none"', async () => {
    // The page merges at its own clock: a freeze expiring 4 h from the real now.
    const live = asListed({ ...freeze, expiresAt: Date.now() + 4 * 3600e3 });
    detailBackend({ status: 503, data: { error: { status: 503, message: 'Prometheus is unavailable: connect ECONNREFUSED' } } }, [live]);
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    await waitFor(() => expect(screen.getByTestId(testIds.detail.reason)).toHaveTextContent(/^freeze: manual, incident 42, until .*, set by the token named on-call$/), WAIT);
    expect(screen.getByTestId(testIds.detail.alerts)).toHaveTextContent('Firing alerts unknown');
    expect(screen.getByTestId(testIds.detail.alerts)).not.toHaveTextContent('No alert of this SLO is firing');
  });

  it('the detail page when only the alerts cannot be read: unknown, with why', async () => {
    detailBackend({
      service: 'llm-gateway',
      name: 'chat-availability',
      state: 'ship',
      release: ship,
      evaluatedAt: now,
      alertsError: 'firing alerts are unknown: Prometheus is unavailable: timeout',
      groups: [],
    });
    renderAt('slos/llm-gateway/chat-availability', <SloDetail />, 'slos/:service/:name');
    await waitFor(() => expect(screen.getByTestId(testIds.detail.alerts)).toHaveTextContent('firing alerts are unknown: Prometheus is unavailable: timeout'), WAIT);
  });
});
