// Structured logs: one JSON object per line on stdout. Callers pass fields, never secrets: the
// logger also drops any field whose name looks like one, and the credentials part of any URL.

import { redact } from './upstreamAuth';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Level[] = ['debug', 'info', 'warn', 'error'];
const SECRET = /token|authorization|password|secret/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: Level = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const min = ORDER.indexOf(level);
  const log = (lvl: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER.indexOf(lvl) < min) {
      return;
    }
    const clean = Object.fromEntries(Object.entries(fields).filter(([k]) => !SECRET.test(k)));
    write(redact(JSON.stringify({ ts: new Date().toISOString(), level: lvl, msg, ...clean })) + '\n');
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
