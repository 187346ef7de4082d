import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SloList } from './SloList';
import { sortWorstFirst } from '../utils/sloListSort';
import { testIds } from '../components/testIds';
import { readFileSync } from 'fs';
import { join } from 'path';
import { fakeBackend, fakeDataSources, PROXY, renderAt, signInAs, sloItem } from '../utils/testing';

const items = [
  sloItem({
    name: 'chat-availability',
    status: {
      state: 'ship',
      budgetRemaining: 0.82,
      periodBurnRate: 0.18,
      currentBurnRate: 0.4,
      groups: [
        { group: { route: '/chat' }, state: 'ship', budgetRemaining: 0.82, currentBurnRate: 0.4 },
        { group: { route: '/summarize' }, state: 'ship', budgetRemaining: 0.95, currentBurnRate: 0.1 },
      ],
    },
  }),
  sloItem({
    name: 'chat-ttft',
    kind: 'latency',
    objective: 0.95,
    status: {
      state: 'freeze',
      budgetRemaining: -0.2,
      periodBurnRate: 1.2,
      currentBurnRate: 14.9,
      groups: [{ group: { route: '/chat' }, state: 'freeze', budgetRemaining: -0.2, currentBurnRate: 14.9 }],
    },
  }),
  sloItem({
    service: 'search',
    name: 'search-availability',
    labels: { team: 'search' },
    groupBy: [],
    status: { state: 'caution', budgetRemaining: 0.4, periodBurnRate: 0.6, currentBurnRate: 1.3, groups: [] },
  }),
  sloItem({ service: 'search', name: 'search-new', labels: {}, groupBy: [], status: { state: 'no-data', groups: [] } }),
];

describe('SLO list', () => {
  beforeEach(() => fakeDataSources());

  it('sorts worst first: freeze, caution, ship, no data; then least budget', () => {
    expect(sortWorstFirst(items as any).map((i) => i.name)).toEqual([
      'chat-ttft',
      'search-availability',
      'chat-availability',
      'search-new',
    ]);
  });

  it('shows budget, burn and state per SLO, worst first, with per-route rows on expand', async () => {
    const backend = fakeBackend().on('GET', `${PROXY}/api/v1/slos`, {
      data: { items, total: 4, limit: 1000, offset: 0 },
    });
    renderAt('slos', <SloList />, 'slos');
    const ttft = await screen.findByTestId(testIds.list.row('llm-gateway', 'chat-ttft'), {}, { timeout: 15000 });
    const rows = screen.getAllByTestId(/br-list-row/);
    expect(rows.map((r) => r.getAttribute('data-testid'))).toEqual([
      testIds.list.row('llm-gateway', 'chat-ttft'),
      testIds.list.row('search', 'search-availability'),
      testIds.list.row('llm-gateway', 'chat-availability'),
      testIds.list.row('search', 'search-new'),
    ]);
    expect(within(ttft).getByTestId(testIds.list.budget)).toHaveTextContent('-20.0%');
    expect(within(ttft).getByTestId(testIds.list.burnNow)).toHaveTextContent('14.9x');
    expect(within(ttft).getByTestId(testIds.list.state)).toHaveTextContent('freeze');
    expect(within(ttft).getByRole('link', { name: 'chat-ttft' })).toHaveAttribute(
      'href',
      '/a/burnrate-burnrate-app/slos/llm-gateway/chat-ttft'
    );
    expect(backend.calls[0].params).toMatchObject({ limit: 1000 });

    fireEvent.click(
      within(screen.getByTestId(testIds.list.row('llm-gateway', 'chat-availability'))).getByLabelText('Show route rows')
    );
    const groups = await screen.findByTestId(testIds.list.groups('llm-gateway', 'chat-availability'));
    expect(within(groups).getByText('route=/chat')).toBeInTheDocument();
    expect(within(groups).getByText('route=/summarize')).toBeInTheDocument();
    // A route's numbers sit under the SLO's columns: the column of each cell, counting spans.
    const column = (cell: HTMLElement) => {
      const cells = Array.from(cell.closest('tr')!.children) as HTMLTableCellElement[];
      return cells.slice(0, cells.indexOf(cell as HTMLTableCellElement)).reduce((n, c) => n + c.colSpan, 0);
    };
    const headers = Array.from(document.querySelectorAll('thead th')).map((th) => th.textContent);
    const chat = within(groups).getByText('route=/chat').closest('tr')!;
    expect(headers[column(within(chat).getByTestId(testIds.list.budget))]).toBe('Budget left');
    expect(headers[column(within(chat).getByTestId(testIds.list.burnNow))]).toBe('Burn 5m');
    expect(within(chat).getByTestId(testIds.list.budget)).toHaveTextContent('82.0%');
    expect(within(chat).getByTestId(testIds.list.burnNow)).toHaveTextContent('0.40x');
  });

  it('invites an editor to create or import the first SLO, and tells a viewer why they cannot', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items: [], total: 0, limit: 1000, offset: 0 } });
    const { unmount } = renderAt('slos', <SloList />, 'slos');
    const empty = await screen.findByTestId(testIds.list.empty, {}, { timeout: 15000 });
    expect(empty).toHaveTextContent('No SLOs yet');
    expect(within(empty).getByText('Create an SLO from a template').closest('a')).toHaveAttribute(
      'href',
      '/a/burnrate-burnrate-app/slos/new'
    );
    unmount();
    signInAs('Viewer');
    renderAt('slos', <SloList />, 'slos');
    const viewer = await screen.findByTestId(testIds.list.empty, {}, { timeout: 15000 });
    expect(viewer).toHaveTextContent('Your Grafana role is Viewer');
    expect(within(viewer).queryByText('Create an SLO from a template')).toBeNull();
  });

  it('shows a quality SLO with its interval, "not enough samples" and "judge not trusted"', async () => {
    const sampling = (effectiveSamples: number, insufficient: boolean, judgeUntrusted: boolean) => ({
      window: '1d' as const,
      errorRatio: 0.059,
      errorLower: 0.048,
      errorUpper: 0.072,
      effectiveSamples,
      neededSamples: 706.85,
      insufficient,
      judgeUntrusted,
      judgeAgreement: judgeUntrusted ? 0.7 : 0.95,
    });
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, {
      data: {
        items: [
          sloItem({ name: 'answers', kind: 'quality', objective: 0.92, groupBy: [], status: { state: 'ship', groups: [{ group: {}, state: 'ship', sampling: sampling(2140, false, false) }] } }),
          sloItem({
            name: 'answers-by-route',
            kind: 'quality',
            objective: 0.92,
            status: { state: 'caution', groups: [{ group: { route: '/chat' }, state: 'caution', sampling: sampling(38, true, true) }] },
          }),
        ],
        total: 2,
        limit: 1000,
        offset: 0,
      },
    });
    renderAt('slos', <SloList />, 'slos');
    const row = await screen.findByTestId(testIds.list.row('llm-gateway', 'answers'), {}, { timeout: 15000 });
    // 1 - 0.072 = 92.8%, 1 - 0.048 = 95.2%.
    expect(within(row).getByTestId(testIds.sampling.interval)).toHaveTextContent('94.1% pass, 92.8-95.2%, n = 2,140 over 1d');
    expect(within(row).queryByTestId(testIds.sampling.insufficient)).toBeNull();
    fireEvent.click(within(screen.getByTestId(testIds.list.row('llm-gateway', 'answers-by-route'))).getByLabelText('Show route rows'));
    const groups = await screen.findByTestId(testIds.list.groups('llm-gateway', 'answers-by-route'));
    expect(within(groups).getByTestId(testIds.sampling.insufficient)).toHaveTextContent(
      'not enough samples: 38 in the last day, about 710 needed to tell 92% from 94.1%'
    );
    expect(within(groups).getByTestId(testIds.sampling.judge)).toHaveTextContent('judge not trusted');
  });

  it('shows why numbers are missing when Prometheus is down', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, {
      data: {
        items: [sloItem({ status: undefined })],
        total: 1,
        limit: 1000,
        offset: 0,
        statusError: 'Prometheus is unavailable: connect ECONNREFUSED',
      },
    });
    renderAt('slos', <SloList />, 'slos');
    expect(await screen.findByText(/ECONNREFUSED/, {}, { timeout: 15000 })).toBeInTheDocument();
  });

  it('says when the server cannot be reached', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { status: 502, data: { message: 'Bad Gateway' } });
    renderAt('slos', <SloList />, 'slos');
    await waitFor(() => expect(screen.getByTestId(testIds.list.error)).toHaveTextContent('check the server URL'), {
      timeout: 15000,
    });
  });

  it('offers a viewer no write action', async () => {
    signInAs('Viewer');
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items, total: 4, limit: 1000, offset: 0 } });
    renderAt('slos', <SloList />, 'slos');
    await screen.findByTestId(testIds.list.row('llm-gateway', 'chat-ttft'), {}, { timeout: 15000 });
    // Disabled with a tooltip that says why (Grafana keeps such buttons focusable: aria-disabled).
    expect(screen.getByTestId(testIds.list.import)).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByTestId(testIds.list.newSlo)).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(screen.getByTestId(testIds.list.import));
    expect(screen.queryByTestId(testIds.list.importText)).toBeNull();
  });

  it('imports a Sloth file: shows what it would create, sends it with its format, lists the result', async () => {
    const sloth = readFileSync(join(__dirname, '..', '..', 'tests', 'fixtures', 'anchors', 'sloth', 'getting-started.yml'), 'utf8');
    const backend = fakeBackend()
      .on('GET', `${PROXY}/api/v1/slos`, { data: { items, total: 4, limit: 1000, offset: 0 } })
      .on('POST', `${PROXY}/api/v1/import`, { status: 201, data: { created: ['myservice/requests-availability'], diagnostics: [] } });
    renderAt('slos', <SloList />, 'slos');
    fireEvent.click(await screen.findByTestId(testIds.list.import, {}, { timeout: 15000 }));
    fireEvent.change(screen.getByTestId(testIds.list.importText), { target: { value: sloth } });
    expect(screen.getByTestId(testIds.list.importPreview)).toHaveTextContent(
      '1 SLO in Sloth format: myservice/requests-availability'
    );
    fireEvent.click(screen.getByTestId(testIds.list.importSubmit));
    expect(await screen.findByTestId(testIds.list.importResult, {}, { timeout: 15000 })).toHaveTextContent(
      'myservice/requests-availability'
    );
    const post = backend.calls.find((c) => c.method === 'POST')!;
    expect(post.params).toEqual({ from: 'sloth' });
    expect(post.data).toBe(sloth);
    // The list asks again after the import.
    expect(backend.calls.filter((c) => c.method === 'GET' && c.url === `${PROXY}/api/v1/slos`).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps Import disabled while the text has an error', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items, total: 4, limit: 1000, offset: 0 } });
    renderAt('slos', <SloList />, 'slos');
    fireEvent.click(await screen.findByTestId(testIds.list.import, {}, { timeout: 15000 }));
    fireEvent.change(screen.getByTestId(testIds.list.importText), { target: { value: 'kind: Foo\napiVersion: bar' } });
    expect(screen.getByTestId(testIds.list.importPreview)).toHaveTextContent('Nothing can be imported yet');
    expect(screen.getByTestId(testIds.list.importSubmit)).toBeDisabled();
  });

  it('sorts by a clicked column, reverses on a second click, and goes back to worst first on a third', async () => {
    fakeBackend().on('GET', `${PROXY}/api/v1/slos`, { data: { items, total: 4, limit: 1000, offset: 0 } });
    renderAt('slos', <SloList />, 'slos');
    await screen.findByTestId(testIds.list.row('llm-gateway', 'chat-ttft'), {}, { timeout: 15000 });
    const order = () => screen.getAllByTestId(/br-list-row /).map((r) => r.getAttribute('data-testid')!.split('/').pop());
    const worstFirst = order();
    expect(worstFirst[0]).toBe('chat-ttft');
    const budget = screen.getByTestId(testIds.list.sort('budget'));
    fireEvent.click(budget);
    // Budget left, least first; search-new has no budget: last.
    expect(order()).toEqual(['chat-ttft', 'search-availability', 'chat-availability', 'search-new']);
    expect(budget.closest('th')).toHaveAttribute('aria-sort', 'ascending');
    fireEvent.click(budget);
    expect(order()).toEqual(['chat-availability', 'search-availability', 'chat-ttft', 'search-new']);
    fireEvent.click(budget);
    expect(order()).toEqual(worstFirst);
  });
});
