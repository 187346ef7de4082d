// policy.quality: freezing on the interval's lower bound needs a window the interval is recorded
// for (1d, 3d, the period). A policy written before that default keeps working on the estimate,
// with a warning; asking for the lower bound on a short window is an error at the freeze window.

import { stringify } from 'yaml';
import { loadText } from '../load';

const doc = (policy: Record<string, unknown>) =>
  stringify({
    version: 'burnrate/v1',
    service: 'bot',
    slos: [
      {
        name: 'quality',
        objective: 0.9,
        window: '7d',
        sli: { quality: { components: [{ name: 'judge', good: 'judge_total{verdict="pass"}', total: 'judge_total' }] } },
        policy,
      },
    ],
  });

test('a 1h freeze window without decideOn: valid, decides on the estimate, and says so at the window', () => {
  const r = loadText(doc({ freeze: { burnRate: 5, window: '1h' } }), 'bot.yaml');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.slos[0].policy.qualityDecideOn).toBe('estimate');
  const w = r.diagnostics.find((d) => d.severity === 'warning');
  expect(w).toMatchObject({ path: 'slos[0].policy.freeze.window', file: 'bot.yaml' });
  expect(w!.message).toMatch(/freezes on the estimate.*1h/);
});

test('decideOn: lowerBound with a 1h freeze window is an error at the window', () => {
  const r = loadText(doc({ freeze: { burnRate: 5, window: '1h' }, quality: { decideOn: 'lowerBound' } }), 'bot.yaml');
  expect(r.slos).toEqual([]);
  expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ path: 'slos[0].policy.freeze.window' });
});

test('the default on the period window: the lower bound, no warning', () => {
  const r = loadText(doc({ freeze: { burnRate: 2, window: 'period' } }), 'bot.yaml');
  expect(r.diagnostics).toEqual([]);
  expect(r.slos[0].policy.qualityDecideOn).toBe('lowerBound');
});
