/**
 * The `columba` command line (commander 13). Exit codes: 0 ok, 1 the command failed (message on
 * stderr), 2 usage error (unknown command or flag, bad flag value; commander names it).
 * Every command takes `--config FILE`; without it the config comes from COLUMBA_CONFIG or
 * COLUMBA_HOME/columba.yaml (see core/config/load.ts), and COLUMBA_HOME sets the home.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { HASH_SCHEMES, type HashScheme } from '../auth/schemes.ts';
import { CliExit } from './io.ts';
import { configCheck, configShow, loadConfigForCli } from './config-command.ts';
import { userAdd, userDel, userList, userPasswd } from './user-command.ts';
import { serve } from './serve-command.ts';
import { mailboxRebuild } from './mailbox-command.ts';
import { storageSweep } from './storage-command.ts';
import { benchAll, benchIdle, benchKernels, benchLoad } from './bench-command.ts';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

interface WithConfig {
  config?: string;
}

const configOption = (): Option => new Option('-c, --config <file>', 'configuration file (YAML)');
const schemeOption = (): Option => new Option('--scheme <scheme>', 'password scheme').choices(HASH_SCHEMES);

/** A leaf command: strict about arguments and flags, with --config. */
function leaf(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).addOption(configOption()).allowExcessArguments(false);
}

function buildProgram(): Command {
  const program = new Command('columba')
    .description('Columba mail server: IMAP, POP3 and LMTP over object storage')
    .version(packageVersion(), '-V, --version')
    .addOption(configOption())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Sub-commands inherit exitOverride and output settings only if configured on each.
  const file = (cmd: Command): string | undefined => (cmd.optsWithGlobals() as WithConfig).config;

  leaf(program, 'serve', 'run the server').action(async (_opts, cmd: Command) => {
    const f = file(cmd);
    await serve(loadConfigForCli(f), f);
  });

  const user = program.command('user').description('manage the passwd-file user database');
  leaf(user, 'add', 'add a user (password from --password or one line of stdin)')
    .argument('<name>')
    .option('-p, --password <password>', 'the password (default: read one line from stdin)')
    .addOption(schemeOption())
    .action(async (name: string, opts: { password?: string; scheme?: HashScheme }, cmd: Command) => {
      await userAdd(loadConfigForCli(file(cmd)), name, opts);
    });
  leaf(user, 'passwd', "change a user's password")
    .argument('<name>')
    .option('-p, --password <password>', 'the new password (default: read one line from stdin)')
    .addOption(schemeOption())
    .action(async (name: string, opts: { password?: string; scheme?: HashScheme }, cmd: Command) => {
      await userPasswd(loadConfigForCli(file(cmd)), name, opts);
    });
  leaf(user, 'del', 'delete a user (mail stays in storage)')
    .alias('delete')
    .argument('<name>')
    .action(async (name: string, _opts, cmd: Command) => {
      await userDel(loadConfigForCli(file(cmd)), name);
    });
  leaf(user, 'list', 'list users and their password schemes').action(async (_opts, cmd: Command) => {
    await userList(loadConfigForCli(file(cmd)));
  });

  const mailbox = program.command('mailbox').description('mailbox maintenance');
  leaf(mailbox, 'rebuild', "rebuild a user's index from the message objects (user must be offline)")
    .argument('<user>')
    .action(async (name: string, _opts, cmd: Command) => {
      await mailboxRebuild(loadConfigForCli(file(cmd)), name);
    });

  const storage = program.command('storage').description('object storage maintenance');
  leaf(storage, 'sweep', "delete the user's message objects no mailbox refers to (orphans after a crash)")
    .argument('<user>')
    .option('--dry-run', 'print what would be removed, remove nothing')
    .option('--min-age <duration>', 'only objects saved longer ago than this (90s, 30m, 1h; default 1h)')
    .action(async (name: string, opts: { dryRun?: boolean; minAge?: string }, cmd: Command) => {
      await storageSweep(loadConfigForCli(file(cmd)), name, opts);
    });

  const config = program.command('config').description('configuration');
  leaf(config, 'check', 'validate a configuration file')
    .argument('<file>')
    .action((f: string) => configCheck(f));
  leaf(config, 'show', 'print the effective configuration as YAML').action((_opts, cmd: Command) => {
    configShow(file(cmd));
  });

  const bench = program.command('bench').description('benchmarks (each level runs in a child node process)');
  leaf(bench, 'kernels', 'micro benchmarks of the hot functions (bench/kernels)')
    .argument('[filter]', 'only bench files whose name matches this regex')
    .option('--quick', 'a few milliseconds per case: a smoke run, noisy figures')
    .option('--out <dir>', 'results directory (default bench/results)')
    .action(async (filter: string | undefined, opts: { quick?: boolean; out?: string }) => {
      process.exitCode = await benchKernels(filter, opts);
    });
  leaf(bench, 'load', 'protocol load, optionally side by side with Dovecot (flags as bench/load/run.ts)')
    .allowUnknownOption()
    .allowExcessArguments(true)
    .helpOption('-h, --help', 'see docs/bench.md for the load flags')
    .action(async (_opts, cmd: Command) => {
      process.exitCode = await benchLoad(cmd.args);
    });
  leaf(bench, 'idle', 'memory per idle IMAP connection at 1k/10k/50k (flags as bench/idle/run.ts)')
    .allowUnknownOption()
    .allowExcessArguments(true)
    .helpOption('-h, --help', 'see docs/bench.md, "Idle connections", for the flags')
    .action(async (_opts, cmd: Command) => {
      process.exitCode = await benchIdle(cmd.args);
    });
  leaf(bench, 'all', 'kernels, then a short protocol run against Columba (and Dovecot with --dovecot)')
    .option('--dovecot', 'also run against a private Dovecot')
    .option('--seconds <n>', 'seconds per protocol load cell (default 3)')
    .option('--quick', 'quick kernel pass')
    .option('--out <dir>', 'results directory (default bench/results)')
    .action(async (opts: { dovecot?: boolean; seconds?: string; quick?: boolean; out?: string }) => {
      process.exitCode = await benchAll(opts);
    });

  // exitOverride and strictness apply per command in commander; set them on every one.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) {
    c.exitOverride();
    c.showHelpAfterError('(run with --help for usage)');
    // A group without a sub-command is a usage error, not a silent help page.
    if (c !== program && c.commands.length > 0) {
      c.action(() => {
        throw new CliExit(2, `${c.name()}: missing sub-command (${c.commands.map((s) => s.name()).join(', ')})`);
      });
    }
  }
  return program;
}

/** Run the CLI; resolves with the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message. --help and --version succeed; help shown
      // because no command was given (`commander.help`) is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.executeSubCommandAsync') return err.exitCode;
      return 2;
    }
    if (err instanceof CliExit) {
      process.stderr.write(`columba: ${err.message}\n`);
      return err.exitCode;
    }
    // Errors with a stable code (EADDRINUSE, TLS_CONFIG, ...) explain themselves; others get a stack.
    const coded = typeof (err as { code?: unknown })?.code === 'string';
    process.stderr.write(`columba: ${coded ? (err as Error).message : ((err as Error)?.stack ?? String(err))}\n`);
    return 1;
  }
}

// Run when executed directly (bin/columba.js imports this module and calls runCli).
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2));
  process.exit(code);
}
