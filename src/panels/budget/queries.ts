// The queries the panel expects (documented in README.md; the browser test runs exactly these).
// `$service` is a dashboard variable (slo_service); replace it with `.+` for every service.

/**
 * Query A, instant: every value the table shows, in one query (plain selector on __name__), with
 * the manual freezes and overrides the Burnrate server exports (and their count, which has no
 * slo_service label, so it joins with `or`: its presence tells that the server is scraped).
 */
export const QUERY_A =
  '{__name__=~"slo:(period_error_budget_remaining|current_burn_rate|period_burn_rate|error_budget):ratio' +
  '|slo:sli_error:ratio_rate(1h|6h|1d)|slo:release_(freeze|caution):bool|slo:time_period:days' +
  // Quality SLIs' sampling: the 1d interval, effective and needed samples, the two flags.
  '|slo:sli_error_(lower|upper):ratio_rate1d|slo:sli_samples:(effective|needed)1d' +
  '|slo:sli_samples_insufficient:bool|slo:judge_untrusted:bool|slo:judge_agreement:ratio_rate1d' +
  '|burnrate_manual_action_expiry_timestamp_seconds", slo_service=~"$service"} or burnrate_manual_actions';

/** Query B, range: the budget trend over the dashboard's time range. */
export const QUERY_B = 'slo:period_error_budget_remaining:ratio{slo_service=~"$service"}';
