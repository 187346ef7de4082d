// A Prometheus on 127.0.0.1 with given rule groups over a few hours of the traffic model, the
// model going on live: what the server-only run and the experiments share.
'use strict';
const fs = require('fs');
const path = require('path');
const { Traffic, serveTraffic } = require('./traffic');
const { backfillHistory } = require('./openmetrics');
const { Prometheus, writeConfig } = require('./prometheus');
const { renderRuleFile } = require('./rulesets');
const { freePort } = require('./proc');

/**
 * Writes `groups` to a rule file in `work`, backfills `hours` of traffic and starts Prometheus.
 * `beforeStart(dataDir, end)`, if given, runs after the backfill (more blocks, for example).
 */
async function startWithRules(work, groups, { slos, routes, hours, log, beforeStart }) {
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const rules = path.join(work, 'rules.yml');
  fs.writeFileSync(rules, renderRuleFile(groups));
  const end = Math.floor(Date.now() / 60000) * 60;
  const traffic = new Traffic({ slos, routes, seed: 42, startSeconds: end - hours * 3600 });
  await backfillHistory(traffic, end, work, dataDir, log);
  await beforeStart?.(dataDir, end);
  const exporter = await serveTraffic(traffic);
  const configFile = path.join(work, 'prometheus.yml');
  writeConfig(configFile, { exporterPort: exporter.address().port, ruleFiles: [rules] });
  const prom = new Prometheus({ port: await freePort(), dataDir, configFile });
  await prom.start();
  return { prom, exporter };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Median evaluation time of each rule over the groups `labelOf` names (undefined: skipped), from
 * /api/v1/rules, one printed line per label and rule; rules that are not healthy say so.
 */
async function printRuleTimes(prom, labelOf) {
  const times = new Map();
  for (const g of await prom.rules()) {
    const label = labelOf(g);
    if (label === undefined) {
      continue;
    }
    for (const r of g.rules) {
      const k = `${label} | ${r.name}${r.labels?.severity ? ' ' + r.labels.severity : ''}`;
      times.set(k, [...(times.get(k) ?? []), r.evaluationTime * 1000]);
      if (r.health !== 'ok') {
        console.log(`${k}: ${r.health} ${r.lastError ?? ''}`);
      }
    }
  }
  for (const [k, v] of [...times].sort()) {
    console.log(`${k} | median ${median(v).toFixed(3)} ms over ${v.length} rules`);
  }
}

module.exports = { startWithRules, printRuleTimes, median };
