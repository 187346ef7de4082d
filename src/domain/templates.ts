// Starting points for the editor. The LLM ones use the OpenTelemetry GenAI names (after the
// Prometheus translation), vLLM's and LiteLLM's; names drift, so the editor lets the user pick
// the real metric from the data source after choosing a template.

export type SpecValue = Record<string, any>;

export interface SloTemplate {
  id: string;
  title: string;
  description: string;
  family: 'generic' | 'otel' | 'vllm' | 'litellm';
  spec: SpecValue;
}

const OTEL_DURATION = 'gen_ai_client_operation_duration_seconds';
const OTEL_TTFT = 'gen_ai_server_time_to_first_token_seconds';

export const TEMPLATES: SloTemplate[] = [
  {
    id: 'blank',
    title: 'Blank',
    description: 'A ratio of bad to total events from two counters.',
    family: 'generic',
    spec: {
      name: '',
      objective: 0.99,
      window: '30d',
      sli: { ratio: { errors: '', total: '' } },
    },
  },
  {
    id: 'otel-availability',
    title: 'LLM availability (OpenTelemetry GenAI)',
    description: `Chat calls that do not fail: ${OTEL_DURATION}_count with error_type set, over all calls; provider failures left out.`,
    family: 'otel',
    spec: {
      name: 'chat-availability',
      description: 'Chat completions that do not fail on our side.',
      objective: 0.995,
      window: '30d',
      groupBy: ['route'],
      sli: {
        ratio: {
          errors: `${OTEL_DURATION}_count{gen_ai_operation_name="chat", error_type!=""}`,
          total: `${OTEL_DURATION}_count{gen_ai_operation_name="chat"}`,
        },
      },
      exclude: [
        { name: 'upstream provider failures', label: 'error_type', values: ['provider_error', 'provider_timeout'] },
      ],
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'otel-ttft',
    title: 'LLM time to first token (OpenTelemetry GenAI)',
    description: `Share of chat requests whose first token came within 1 s, from the ${OTEL_TTFT} histogram (pick a real bucket).`,
    family: 'otel',
    spec: {
      name: 'chat-ttft',
      description: 'First token within 1 s.',
      objective: 0.95,
      window: '30d',
      groupBy: ['route'],
      sli: { latency: { metric: OTEL_TTFT, matchers: 'gen_ai_operation_name="chat"', threshold: 1 } },
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'judge-quality',
    title: 'Judge-sampled answer quality',
    description:
      'Sampled LLM-judge verdicts (pass over all judged answers); alerts need 20 samples in the short window.',
    family: 'generic',
    spec: {
      name: 'answer-quality',
      description: 'Answers the judge passes.',
      objective: 0.9,
      window: '30d',
      groupBy: ['route'],
      sli: {
        quality: {
          components: [
            { name: 'judge', good: 'llm_judge_verdicts_total{verdict="pass"}', total: 'llm_judge_verdicts_total' },
          ],
        },
      },
    },
  },
  {
    id: 'otel-cost',
    title: 'Cost per request (OpenLIT GenAI cost)',
    description: 'A soft SLO: average cost per request under a target; opens tickets, never freezes releases.',
    family: 'otel',
    spec: {
      name: 'cost-per-request',
      window: '30d',
      groupBy: ['route'],
      sli: {
        cost: {
          cost: 'gen_ai_usage_cost_USD_sum',
          requests: 'gen_ai_usage_cost_USD_count',
          target: 0.002,
          currency: 'USD',
        },
      },
    },
  },
  {
    id: 'vllm-ttft',
    title: 'vLLM time to first token',
    description: 'vllm:time_to_first_token_seconds per model_name; pick the threshold from the real buckets.',
    family: 'vllm',
    spec: {
      name: 'vllm-ttft',
      objective: 0.95,
      window: '30d',
      groupBy: ['model_name'],
      sli: { latency: { metric: 'vllm:time_to_first_token_seconds', threshold: 1 } },
    },
  },
  {
    id: 'vllm-availability',
    title: 'vLLM availability (HTTP status)',
    description: 'vLLM has no error counter: 5xx answers of its HTTP server over all answers.',
    family: 'vllm',
    spec: {
      name: 'vllm-availability',
      objective: 0.995,
      window: '30d',
      sli: { ratio: { errors: 'http_requests_total{status="5xx"}', total: 'http_requests_total' } },
    },
  },
  {
    id: 'litellm-availability',
    title: 'LiteLLM proxy availability',
    description: 'litellm_proxy_failed_requests_metric_total over litellm_proxy_total_requests_metric_total.',
    family: 'litellm',
    spec: {
      name: 'litellm-availability',
      objective: 0.995,
      window: '30d',
      sli: {
        ratio: {
          errors: 'litellm_proxy_failed_requests_metric_total',
          total: 'litellm_proxy_total_requests_metric_total',
        },
      },
    },
  },
  {
    id: 'litellm-ttft',
    title: 'LiteLLM time to first token',
    description:
      'litellm_llm_api_time_to_first_token_metric (streaming calls); pick the threshold from the real buckets.',
    family: 'litellm',
    spec: {
      name: 'litellm-ttft',
      objective: 0.95,
      window: '30d',
      groupBy: ['model'],
      sli: { latency: { metric: 'litellm_llm_api_time_to_first_token_metric', threshold: 1 } },
    },
  },
  {
    id: 'litellm-cost',
    title: 'LiteLLM cost per request',
    description: 'litellm_spend_metric_total over litellm_proxy_total_requests_metric_total; a soft SLO.',
    family: 'litellm',
    spec: {
      name: 'litellm-cost',
      window: '30d',
      sli: {
        cost: {
          cost: 'litellm_spend_metric_total',
          requests: 'litellm_proxy_total_requests_metric_total',
          target: 0.002,
        },
      },
    },
  },
];

export function templateSpec(id: string, service: string): SpecValue {
  const t = TEMPLATES.find((x) => x.id === id) ?? TEMPLATES[0];
  return { service, ...JSON.parse(JSON.stringify(t.spec)) };
}
