import React from 'react';
import { testIds } from '../testIds';

/** The validator's messages for one field, shown beside it (as a Field's `error`). */
export function fieldError(messages: string[]): React.ReactNode | undefined {
  if (messages.length === 0) {
    return undefined;
  }
  return (
    <span data-testid={testIds.editor.fieldError}>
      {messages.map((m, i) => (
        <span key={i} style={{ display: 'block' }}>
          {m}
        </span>
      ))}
    </span>
  );
}
