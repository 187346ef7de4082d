import React from 'react';
import { Badge } from '@grafana/ui';
import { insufficientText, intervalText, judgeText, SamplingStatus } from '../../core/policy/sampling';
import { testIds } from '../testIds';

/**
 * A quality SLO's sampled pass ratio with its margin of error ("94.1% pass, 92.8-95.2%, n = 2,140
 * over 1d"), and, when they hold, "not enough samples: ..." and "judge not trusted".
 */
export function SamplingNote({ sampling, objective, agreementMinimum }: { sampling?: SamplingStatus; objective?: number; agreementMinimum?: number }) {
  if (!sampling) {
    return null;
  }
  return (
    <span>
      <span data-testid={testIds.sampling.interval}>{intervalText(sampling)}</span>
      {sampling.insufficient && objective !== undefined && (
        <>
          {' '}
          <Badge color="orange" icon="exclamation-triangle" text={insufficientText(objective, sampling)} data-testid={testIds.sampling.insufficient} />
        </>
      )}
      {sampling.judgeUntrusted && (
        <>
          {' '}
          <Badge color="red" icon="exclamation-triangle" text="judge not trusted" tooltip={judgeText(sampling, agreementMinimum)} data-testid={testIds.sampling.judge} />
        </>
      )}
    </span>
  );
}
