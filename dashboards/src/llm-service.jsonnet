// Built to dashboards/llm-service.json by `npm run build:dashboards`.
(import '../lib/dashboards.libsonnet').llm()
