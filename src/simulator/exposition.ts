// The series the simulator keeps and their Prometheus text exposition (format 0.0.4): the metric
// families under OpenTelemetry GenAI names (after the Prometheus translation), and the LLM quality
// counters no convention names yet (docs/metrics-sources.md).

export type Labels = Record<string, string>;

export interface Series {
  family: string;
  type: 'counter' | 'histogram';
  /** Sample name: the family for counters, family_bucket/_sum/_count for histograms. */
  name: string;
  labels: Labels;
  value: number;
}

export interface FamilyInfo {
  name: string;
  type: 'counter' | 'histogram';
  help: string;
  unit?: string;
}

export const FAMILIES: FamilyInfo[] = [
  { name: 'gen_ai_server_time_to_first_token_seconds', type: 'histogram', help: 'Time to generate the first token (gen_ai.server.time_to_first_token), successful streaming calls.', unit: 'seconds' },
  { name: 'gen_ai_server_time_per_output_token_seconds', type: 'histogram', help: 'Time per output token after the first (gen_ai.server.time_per_output_token), successful streaming calls; tokens per second = 1 / it.', unit: 'seconds' },
  { name: 'gen_ai_client_operation_time_to_first_chunk_seconds', type: 'histogram', help: 'Time to the first streamed chunk as the client sees it (gen_ai.client.operation.time_to_first_chunk), successful streaming calls.', unit: 'seconds' },
  { name: 'gen_ai_client_operation_duration_seconds', type: 'histogram', help: 'GenAI operation duration (gen_ai.client.operation.duration); error_type is set only on failed calls.', unit: 'seconds' },
  { name: 'llm_tokens_total', type: 'counter', help: 'Tokens used, by gen_ai_token_type (input, output).' },
  { name: 'llm_cost_usd_total', type: 'counter', help: 'Spend on model providers in US dollars.' },
  { name: 'llm_judge_verdicts_total', type: 'counter', help: 'LLM-as-judge verdicts on sampled answers (verdict=pass|fail).' },
  { name: 'llm_feedback_total', type: 'counter', help: 'User feedback on answers (thumb=up|down).' },
  { name: 'llm_judge_human_agreement_total', type: 'counter', help: 'Human reviews of judged answers: whether the reviewer agreed with the judge (agree=true|false).' },
  { name: 'llm_hard_checks_total', type: 'counter', help: 'Deterministic checks run on every answer (check=valid_json|no_improper_refusal|no_system_prompt_leak, result=pass|fail).' },
  { name: 'llm_response_outcomes_total', type: 'counter', help: 'What the user did with an answer, once known (outcome=accepted|copied|edited|retried|abandoned).' },
  { name: 'llm_simulator_scenario', type: 'counter', help: 'Always 1 for the running scenario (gauge, for dashboards).' },
];

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
}

/** The Prometheus text exposition (format 0.0.4) of every series, families together. */
export function renderPrometheusText(series: Series[]): string {
  const lines: string[] = [];
  for (const f of FAMILIES) {
    const members = series.filter((s) => s.family === f.name);
    if (!members.length) {
      continue;
    }
    const type = f.name === 'llm_simulator_scenario' ? 'gauge' : f.type;
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${type}`);
    for (const s of members) {
      lines.push(`${s.name}${labelText(s.labels)} ${num(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}
