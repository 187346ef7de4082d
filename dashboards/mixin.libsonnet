// Burnrate's dashboards for users who keep dashboards as code (a monitoring mixin).
//
//   local burnrate = (import 'github.com/.../dashboards/mixin.libsonnet') + {
//     _config+:: { uidPrefix: 'team-a-', llm+: { service: 'support-bot' } },
//   };
//   burnrate.grafanaDashboards   // { 'burnrate-slo-overview.json': {...}, ... }
//
// Rules are not part of the mixin: Burnrate generates them from SLO definitions
// (`burnrate generate`, or the server's rule delivery), so there is no jsonnet copy to drift.
local dashboards = import 'lib/dashboards.libsonnet';

{
  _config+:: dashboards.defaults,

  grafanaDashboards+:: {
    'burnrate-slo-overview.json': dashboards.overview($._config),
    'burnrate-slo-detail.json': dashboards.detail($._config),
    'burnrate-llm-service.json': dashboards.llm($._config),
  },
}
