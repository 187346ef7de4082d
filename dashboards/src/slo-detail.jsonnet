// Built to dashboards/slo-detail.json by `npm run build:dashboards`.
(import '../lib/dashboards.libsonnet').detail()
