// "Start from": one card per template (src/domain/templates.ts).

import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Card, FieldSet, useStyles2 } from '@grafana/ui';
import { TEMPLATES } from '../../domain/templates';
import { testIds } from '../testIds';

export function TemplatePicker({ chosen, onChoose }: { chosen?: string; onChoose: (id: string) => void }) {
  const s = useStyles2(getStyles);
  return (
    <FieldSet label="Start from">
      <div className={s.templates}>
        {TEMPLATES.map((t) => (
          <Card
            key={t.id}
            isSelected={chosen === t.id}
            onClick={() => onChoose(t.id)}
            data-testid={testIds.editor.template(t.id)}
            className={s.card}
          >
            <Card.Heading>{t.title}</Card.Heading>
            <Card.Description>{t.description}</Card.Description>
          </Card>
        ))}
      </div>
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  templates: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
    gap: theme.spacing(1),
  }),
  card: css({ marginBottom: 0, height: '100%', overflowWrap: 'anywhere' }),
});
