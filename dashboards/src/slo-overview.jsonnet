// Built to dashboards/slo-overview.json by `npm run build:dashboards`.
(import '../lib/dashboards.libsonnet').overview()
