import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SloEditor } from './SloEditor';
import { testIds } from '../components/testIds';
import { FakeBackend, fakeBackend, fakeDataSources, PROXY, renderAt, sloItem } from '../utils/testing';

const DS = '/api/datasources/proxy/uid/prom';

async function pickTemplate(id: string) {
  const card = await screen.findByTestId(testIds.editor.template(id), {}, { timeout: 15000 });
  fireEvent.click(within(card).getByRole('button'));
}
const WAIT = { timeout: 15000 };

/** Prometheus answers as its HTTP API gives them. */
function prometheus(b: FakeBackend): FakeBackend {
  const ok = (data: unknown) => ({ data: { status: 'success', data } });
  return b
    .on(
      'GET',
      `${DS}/api/v1/label/__name__/values`,
      ok([
        'gen_ai_client_operation_duration_seconds_count',
        'gen_ai_server_time_to_first_token_seconds_bucket',
        'gen_ai_server_time_to_first_token_seconds_count',
        'up',
      ])
    )
    .on('GET', `${DS}/api/v1/labels`, ok(['__name__', 'error_type', 'gen_ai_operation_name', 'le', 'route']))
    .on('GET', `${DS}/api/v1/label/le/values`, ok(['0.25', '0.5', '1', '2.5', '+Inf']))
    .on('GET', `${DS}/api/v1/query`, (c) => {
      const q: string = c.params?.query ?? '';
      const perRoute = (chat: number, summarize: number) =>
        ok({
          resultType: 'vector',
          result: [
            { metric: { route: '/chat' }, value: [1764403200, String(chat)] },
            { metric: { route: '/summarize' }, value: [1764403200, String(summarize)] },
          ],
        });
      // Events (increase over 1d) have no division; error ratios do.
      return q.includes(' / (') ? perRoute(0.02, 0) : perRoute(86400, 20000);
    });
}

describe('SLO editor', () => {
  beforeEach(() => fakeDataSources());

  it('creates an SLO from the OpenTelemetry availability template, with preview, budget in words and rules', async () => {
    const backend = prometheus(fakeBackend()).on('POST', `${PROXY}/api/v1/slos`, (c) => ({
      status: 201,
      data: sloItem({ service: c.data.service, name: c.data.name }),
    }));
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('otel-availability');
    fireEvent.change(screen.getByTestId(testIds.editor.service), { target: { value: 'llm-gateway' } });

    // Live preview per route, from core's preview queries run through the data source proxy.
    const preview = screen.getByTestId(testIds.editor.preview);
    await waitFor(() => expect(within(preview).getByText('route=/chat')).toBeInTheDocument(), WAIT);
    expect(within(preview).getAllByText('98.000%')).toHaveLength(2);
    const query = backend.calls.find((c) => c.url === `${DS}/api/v1/query`)!.params!.query as string;
    expect(query).toContain('error_type!~"provider_error|provider_timeout"');
    // 106,400 events a day x 0.5% = 532 a day, x 30 days = 15,960.
    expect(screen.getByTestId(testIds.editor.budgetWords)).toHaveTextContent(
      "At today's traffic, 532 of 106,400 requests a day may fail (0.5%): 15,960 failed requests per 30 days."
    );
    expect(screen.getByTestId(testIds.editor.rules)).toHaveTextContent('slo:period_error_budget_remaining:ratio');

    fireEvent.click(screen.getByTestId(testIds.editor.save));
    await waitFor(() => expect(screen.getByTestId('navigated-elsewhere')).toBeInTheDocument(), WAIT);
    const post = backend.calls.find((c) => c.method === 'POST')!;
    expect(post.data).toMatchObject({
      service: 'llm-gateway',
      name: 'chat-availability',
      objective: 0.995,
      groupBy: ['route'],
    });
    expect(post.data.description).toBe('Chat completions that do not fail on our side.');
  });

  it('shows a message once its field is touched, and every problem when a save is tried', async () => {
    const backend = prometheus(fakeBackend());
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('otel-availability');
    // The template leaves the service empty: no message until the user gets there.
    expect(screen.queryAllByTestId(testIds.editor.fieldError)).toHaveLength(0);
    fireEvent.change(screen.getByTestId(testIds.editor.objective), { target: { value: '99.5' } });
    expect(await screen.findByText(/did you mean 0.995/, {}, WAIT)).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.editor.fieldError)).toHaveLength(1);
    expect(screen.queryByTestId(testIds.editor.problems)).toBeNull();

    fireEvent.click(screen.getByTestId(testIds.editor.save));
    const problems = await screen.findByTestId(testIds.editor.problems, {}, WAIT);
    expect(problems).toHaveTextContent('service: required field is missing');
    expect(problems).toHaveTextContent('objective:');
    expect(screen.getAllByTestId(testIds.editor.fieldError)).toHaveLength(2);
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('does not save the last valid SLO while the YAML text has an error', async () => {
    const backend = prometheus(fakeBackend());
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('otel-availability');
    fireEvent.change(screen.getByTestId(testIds.editor.service), { target: { value: 'llm-gateway' } });
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    const yaml = screen.getByTestId(testIds.editor.yaml);
    fireEvent.change(yaml, { target: { value: 'service: llm-gateway\nname: [unclosed' } });
    fireEvent.click(screen.getByTestId(testIds.editor.save));
    expect(await screen.findByTestId(testIds.editor.problems, {}, WAIT)).toHaveTextContent('YAML:');
    expect(backend.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('offers the real bucket boundaries of the histogram as thresholds', async () => {
    const backend = prometheus(fakeBackend());
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('otel-ttft');
    expect(
      await screen.findByText(
        /Real bucket boundaries of gen_ai_server_time_to_first_token_seconds: 0.25, 0.5, 1, 2.5/,
        {},
        WAIT
      )
    ).toBeInTheDocument();
    const le = backend.calls.find((c) => c.url === `${DS}/api/v1/label/le/values`)!;
    expect(le.params).toEqual({ 'match[]': 'gen_ai_server_time_to_first_token_seconds_bucket' });
  });

  it('saves an edit with If-Match and explains a 412 conflict', async () => {
    const spec = {
      service: 'llm-gateway',
      name: 'chat-availability',
      objective: 0.99,
      sli: { ratio: { errors: 'x_total{code="500"}', total: 'x_total' } },
    };
    const backend = prometheus(fakeBackend())
      .on('GET', `${PROXY}/api/v1/slos/llm-gateway/chat-availability`, {
        data: sloItem({ version: 3, spec }),
        headers: { ETag: '"3"' },
      })
      .on('PUT', `${PROXY}/api/v1/slos/llm-gateway/chat-availability`, {
        status: 412,
        data: { error: { status: 412, message: 'version 3 is stale: the SLO is at version 4' } },
      });
    renderAt('slos/llm-gateway/chat-availability/edit', <SloEditor />, 'slos/:service/:name/edit');
    const objective = await screen.findByTestId(testIds.editor.objective, {}, WAIT);
    expect(objective).toHaveValue(0.99);
    expect(screen.getByTestId(testIds.editor.name)).toBeDisabled();
    fireEvent.change(objective, { target: { value: '0.995' } });
    fireEvent.click(screen.getByTestId(testIds.editor.save));
    expect(await screen.findByTestId(testIds.editor.conflict, {}, WAIT)).toHaveTextContent(
      'Someone else changed this SLO'
    );
    const put = backend.calls.find((c) => c.method === 'PUT')!;
    expect(put.headers?.['If-Match']).toBe('"3"');
    expect(put.data.objective).toBe(0.995);
  });

  it("lists the server's 422 diagnostics when it refuses the SLO", async () => {
    prometheus(fakeBackend()).on('POST', `${PROXY}/api/v1/slos`, {
      status: 409,
      data: { error: { status: 409, message: 'SLO llm-gateway/chat-availability exists' } },
    });
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('otel-availability');
    fireEvent.change(screen.getByTestId(testIds.editor.service), { target: { value: 'llm-gateway' } });
    fireEvent.click(screen.getByTestId(testIds.editor.save));
    expect(await screen.findByTestId(testIds.editor.saveError, {}, WAIT)).toHaveTextContent('exists');
  });

  it.each(['otel-availability', 'llm-quality-blend', 'otel-cost', 'otel-tpot'])(
    'names every input of the %s template for a screen reader',
    async (template) => {
      prometheus(fakeBackend());
      renderAt('slos/new', <SloEditor />, 'slos/new');
      await pickTemplate(template);
      const inputs = [...screen.getAllByRole('textbox'), ...screen.getAllByRole('spinbutton')];
      expect(inputs.length).toBeGreaterThan(5);
      const unnamed = inputs.filter((el) => !el.getAttribute('aria-label') && !el.id);
      expect(unnamed.map((el) => el.outerHTML.slice(0, 120))).toEqual([]);
      for (const el of inputs.filter((x) => x.id)) {
        expect(el).toHaveAccessibleName();
      }
    }
  );

  it("labels each quality component's selectors, and puts the currency beside a cost target", async () => {
    prometheus(fakeBackend());
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('llm-quality-blend');
    // One "Good samples" input per component, each found by its label.
    expect(screen.getAllByLabelText('Good samples').length).toBeGreaterThanOrEqual(3);
    await pickTemplate('otel-cost');
    expect(screen.getByLabelText('Target cost per request').closest('div')!.parentElement).toHaveTextContent('USD');
  });

  it('edits a timeslice SLI in the form: p95 under 2 s in 1-minute slices, saved as the API stores it', async () => {
    const backend = prometheus(fakeBackend()).on('POST', `${PROXY}/api/v1/slos`, (c) => ({
      status: 201,
      data: sloItem({ service: c.data.service, name: c.data.name }),
    }));
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('blank');
    fireEvent.change(screen.getByTestId(testIds.editor.service), { target: { value: 'llm-gateway' } });
    fireEvent.change(screen.getByTestId(testIds.editor.name), { target: { value: 'ttft-slices' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Timeslice' }));
    const slices = await screen.findByTestId(testIds.editor.timeslice, {}, WAIT);
    fireEvent.change(within(slices).getByLabelText(/^Histogram/), { target: { value: 'gen_ai_server_time_to_first_token_seconds' } });
    fireEvent.change(within(slices).getByLabelText(/^at or under/), { target: { value: '2' } });
    await waitFor(
      () => expect(screen.getByTestId(testIds.editor.rules)).toHaveTextContent('histogram_quantile(0.95'),
      WAIT
    );
    fireEvent.click(screen.getByTestId(testIds.editor.save));
    await waitFor(() => expect(backend.calls.some((c) => c.method === 'POST')).toBe(true), WAIT);
    const post = backend.calls.find((c) => c.method === 'POST')!;
    expect(post.data.sli).toEqual({
      timeslice: { slice: '1m', latency: { metric: 'gen_ai_server_time_to_first_token_seconds', quantile: 0.95, threshold: 2 } },
    });
  });

  it("lists a Loki SLI's stream labels for the group-by, from Loki's labels API", async () => {
    fakeDataSources([
      { uid: 'prom', name: 'Prometheus', type: 'prometheus' },
      { uid: 'loki', name: 'Loki', type: 'loki' },
    ]);
    const backend = prometheus(fakeBackend()).on('GET', '/api/datasources/proxy/uid/loki/loki/api/v1/labels', {
      data: { status: 'success', data: ['app', 'route', 'tier'] },
    });
    renderAt('slos/new', <SloEditor />, 'slos/new');
    await pickTemplate('blank');
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    fireEvent.change(screen.getByTestId(testIds.editor.yaml), {
      target: {
        value: [
          'service: support-bot',
          'name: verdicts',
          'objective: 0.92',
          'sli:',
          '  ratio:',
          '    source: loki',
          '    errors: \'{app="support-bot"} |= "verdict=fail"\'',
          '    total: \'{app="support-bot"} |= "verdict="\'',
        ].join('\n'),
      },
    });
    fireEvent.click(screen.getByRole('tab', { name: 'Form' }));
    expect(await screen.findByText('Labels of {app="support-bot"}', {}, WAIT)).toBeInTheDocument();
    const call = backend.calls.find((c) => c.url.endsWith('/loki/api/v1/labels'))!;
    expect(call.params!.query).toBe('{app="support-bot"}');
    // Asked for the last hour, in Loki's nanoseconds.
    expect(call.params!.end - call.params!.start).toBe(3600 * 1e9);
  });
});
