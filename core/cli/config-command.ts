/** `columba config check FILE` and `columba config show [--config FILE]`. */
import { stringify } from 'yaml';
import { loadConfig, ConfigError } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { CliExit } from './io.ts';

/** Load the config for any command; problems end the command with exit code 1. */
export function loadConfigForCli(file: string | undefined): Config {
  try {
    return loadConfig(file);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliExit(1, err.message);
    throw err;
  }
}

export function configCheck(file: string): void {
  loadConfigForCli(file);
  process.stdout.write(`${file}: ok\n`);
}

export function configShow(file: string | undefined): void {
  const config = loadConfigForCli(file);
  process.stdout.write(stringify(config));
}
