import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * Structured JSON logs. Secrets never reach a log line: the redact list is a second line of defence
 * behind code that does not log them in the first place.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: 'portvagt' },
      redact: {
        paths: ['password', '*.password', 'cpr', '*.cpr', 'token', '*.token', 'client_secret', '*.client_secret', 'req.headers.cookie', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    options.destination ?? process.stdout,
  );
}
