import { pino, type Logger } from 'pino';

export type { Logger };

/** Credentials that may sit in a logged object's headers; the HTTP log never writes them, this is the backstop. */
const REDACT_PATHS = ['authorization', 'cookie', '["set-cookie"]', '["x-shopify-access-token"]', '["x-shopify-hmac-sha256"]']
  .flatMap((header) => [`headers.${header}`, `*.headers.${header}`])
  .map((path) => path.replace('.[', '['));

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'tally' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
