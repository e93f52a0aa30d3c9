import { pino, type Logger } from 'pino';

export type { Logger };

/** The appliance's JSON logger on stdout. Secrets never go into log fields. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
