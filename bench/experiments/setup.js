// What both experiments share: a rule file of the given groups, H hours of the traffic model
// backfilled, the model served live, and a Prometheus on 127.0.0.1 scraping it with those rules.
'use strict';
const fs = require('fs');
const B = '../lib/';
const { Traffic, serveTraffic } = require(B + 'traffic');
const { backfillHistory } = require(B + 'openmetrics');
const { Prometheus, writeConfig } = require(B + 'prometheus');
const { renderRuleFile } = require(B + 'rulesets');
const { freePort } = require(B + 'proc');

async function startWithRules(work, groups, { slos, routes, hours, log }) {
  const file = work + '/rules.yml';
  fs.writeFileSync(file, renderRuleFile(groups));
  const end = Math.floor(Date.now() / 60000) * 60;
  const traffic = new Traffic({ slos, routes, seed: 42, startSeconds: end - hours * 3600 });
  await backfillHistory(traffic, end, work, work + '/data', log);
  const exporter = await serveTraffic(traffic);
  const cfgFile = work + '/prometheus.yml';
  writeConfig(cfgFile, { exporterPort: exporter.address().port, ruleFiles: [file] });
  const prom = new Prometheus({ port: await freePort(), dataDir: work + '/data', configFile: cfgFile });
  await prom.start();
  log('prometheus up');
  return { prom, exporter };
}

module.exports = { startWithRules };
