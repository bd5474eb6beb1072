/**
 * The process logger: pino writing JSON lines (one object per event) to stderr by default, so
 * stdout stays free for what a CLI command prints. No pretty printer: pipe through `pino-pretty`
 * when reading by eye. Children carry context (`log.child({ session, user })`).
 */
import pino, { type Logger, type DestinationStream } from 'pino';
import type { Config } from '../config/schema.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where lines go; default stderr (fd 2), written synchronously so nothing is lost on exit. */
  destination?: DestinationStream;
  /** Fixed fields on every line (e.g. role, node name). */
  base?: Record<string, unknown>;
}

export function createLogger(config: Pick<Config, 'log'>, opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: config.log.level,
      base: { pid: process.pid, ...opts.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Never log secrets even if a caller passes them along by mistake.
      redact: { paths: ['password', 'pass', '*.password', '*.pass'], censor: '[redacted]' },
    },
    destination,
  );
}

/** A logger that drops everything (unit tests, CLI commands that want quiet). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
