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
const OTEL_TPOT = 'gen_ai_server_time_per_output_token_seconds';
const OTEL_TTFC = 'gen_ai_client_operation_time_to_first_chunk_seconds';
// No convention names these yet: the counters the simulator exports (docs/metrics-sources.md).
const HARD_CHECKS = 'llm_hard_checks_total';
const OUTCOMES = 'llm_response_outcomes_total';

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
    id: 'otel-tpot',
    title: 'LLM tokens per second while streaming (OpenTelemetry GenAI)',
    description: `Share of answers streamed at 20 tokens per second or faster: ${OTEL_TPOT} at or under 0.05 s per token (its buckets: 0.01, 0.025, 0.05, 0.075, 0.1, ...).`,
    family: 'otel',
    spec: {
      name: 'chat-tokens-per-second',
      description: 'Answers stream at 20 tokens per second or faster (time per output token at or under 50 ms).',
      objective: 0.95,
      window: '30d',
      groupBy: ['gen_ai_request_model'],
      sli: { latency: { metric: OTEL_TPOT, matchers: 'gen_ai_operation_name="chat"', threshold: 0.05 } },
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'otel-response-time',
    title: 'LLM total response time (OpenTelemetry GenAI)',
    description: `Batch (non-streaming) calls, where only the whole answer counts: ${OTEL_DURATION} at or under 10.24 s (doubling buckets from 10 ms). Pick the route or operation with the matchers.`,
    family: 'otel',
    spec: {
      name: 'batch-response-time',
      description: 'Whole answers within 10.24 s.',
      objective: 0.99,
      window: '30d',
      groupBy: ['route'],
      sli: { latency: { metric: OTEL_DURATION, matchers: 'gen_ai_operation_name="chat", route="/summarize"', threshold: 10.24 } },
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'otel-ttfc',
    title: 'LLM time to first chunk, client side (OpenTelemetry GenAI)',
    description: `What the caller waits for the first streamed chunk: ${OTEL_TTFC} at or under 1.28 s (doubling buckets from 10 ms: 0.64, 1.28, 2.56, ...).`,
    family: 'otel',
    spec: {
      name: 'chat-first-chunk',
      description: 'First streamed chunk within 1.28 s, measured by the client.',
      objective: 0.95,
      window: '30d',
      groupBy: ['route'],
      sli: { latency: { metric: OTEL_TTFC, matchers: 'gen_ai_operation_name="chat"', threshold: 1.28 } },
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'otel-ttft-per-tier',
    title: 'LLM time to first token per customer plan (OpenTelemetry GenAI)',
    description: `${OTEL_TTFT} per route and customer plan (a 'tier' attribute your gateway sets): one budget per plan, so a free-tier spike does not spend the enterprise budget.`,
    family: 'otel',
    spec: {
      name: 'chat-ttft-per-tier',
      description: 'First token within 2.5 s, per route and customer plan.',
      objective: 0.99,
      window: '30d',
      groupBy: ['route', 'tier'],
      sli: { latency: { metric: OTEL_TTFT, matchers: 'gen_ai_operation_name="chat"', threshold: 2.5 } },
      alerting: { minEvents: 10 },
    },
  },
  {
    id: 'hard-checks-quality',
    title: 'Hard checks on every answer',
    description: `Deterministic checks (valid JSON, no improper refusal, no leaked system prompt): ${HARD_CHECKS}{result="pass"} over all checks run.`,
    family: 'generic',
    spec: {
      name: 'answer-hard-checks',
      description: 'Answers that pass the deterministic checks.',
      objective: 0.98,
      window: '30d',
      groupBy: ['route'],
      sli: {
        quality: {
          components: [{ name: 'hard_checks', good: `${HARD_CHECKS}{result="pass"}`, total: HARD_CHECKS }],
        },
      },
    },
  },
  {
    id: 'llm-quality-blend',
    title: 'Answer quality: judge, hard checks and implicit feedback',
    description: `Judge verdicts, hard checks and what people do with answers (${OUTCOMES}: accepted or copied is good; edited, retried or abandoned is not), blended by weight, with the judge checked against human reviews.`,
    family: 'generic',
    spec: {
      name: 'answer-quality',
      description: 'Answers that are good by the judge, the hard checks and the people who got them.',
      objective: 0.92,
      window: '30d',
      groupBy: ['route'],
      sli: {
        quality: {
          components: [
            { name: 'judge', good: 'llm_judge_verdicts_total{verdict="pass"}', total: 'llm_judge_verdicts_total', weight: 0.5 },
            { name: 'hard_checks', good: `${HARD_CHECKS}{result="pass"}`, total: HARD_CHECKS, weight: 0.3 },
            { name: 'implicit', good: `${OUTCOMES}{outcome=~"accepted|copied"}`, total: OUTCOMES, weight: 0.2 },
          ],
          agreement: {
            agreed: 'llm_judge_human_agreement_total{agree="true"}',
            reviewed: 'llm_judge_human_agreement_total',
            minimum: 0.8,
          },
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
    id: 'vllm-itl',
    title: 'vLLM inter-token latency (tokens per second)',
    description:
      'vllm:inter_token_latency_seconds at or under 0.1 s (10 tokens per second or faster), per model_name. It replaced vllm:time_per_output_token_seconds (deprecated in 0.11, since removed).',
    family: 'vllm',
    spec: {
      name: 'vllm-inter-token-latency',
      objective: 0.99,
      window: '30d',
      groupBy: ['model_name'],
      sli: { latency: { metric: 'vllm:inter_token_latency_seconds', threshold: 0.1 } },
    },
  },
  {
    id: 'vllm-e2e',
    title: 'vLLM end-to-end request latency',
    description: 'vllm:e2e_request_latency_seconds at or under 10 s, per model_name (buckets 0.3 ... 5, 10, 15, ...).',
    family: 'vllm',
    spec: {
      name: 'vllm-e2e-latency',
      objective: 0.99,
      window: '30d',
      groupBy: ['model_name'],
      sli: { latency: { metric: 'vllm:e2e_request_latency_seconds', threshold: 10 } },
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
    id: 'litellm-response-time',
    title: 'LiteLLM total response time',
    description: 'litellm_request_total_latency_metric at or under 10 s per requested_model (LiteLLM buckets: ..., 9.5, 10, 15, ...).',
    family: 'litellm',
    spec: {
      name: 'litellm-response-time',
      objective: 0.99,
      window: '30d',
      groupBy: ['requested_model'],
      sli: { latency: { metric: 'litellm_request_total_latency_metric', threshold: 10 } },
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
