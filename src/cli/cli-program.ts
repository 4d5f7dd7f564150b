/**
 * The command line: commander wiring only. Each command is a function in commands/ that takes
 * its options and a context (output, API client) and returns an exit code, so tests call them
 * directly and this file stays declarative.
 */

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ApiClient, describeError } from './api-client.js';
import { line, type CliIo } from './cli-io.js';
import { DEFAULT_URL, integerParser, MissingKeyError, numberParser, parseDateList, parseDay, resolveConnection } from './cli-options.js';
import { backtestCommand } from './commands/backtest.command.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandContext } from './commands/command-context.js';
import { configDiffCommand } from './commands/config-diff.command.js';
import { configValidateCommand } from './commands/config-validate.command.js';
import { fitCommand } from './commands/fit.command.js';
import { importCommand } from './commands/import.command.js';
import { scoreCommand } from './commands/score.command.js';

export interface GlobalOptions {
  url?: string;
  key?: string;
}

/** The command functions, replaceable so argument parsing can be tested on its own. */
export interface CommandHandlers {
  configValidate: typeof configValidateCommand;
  configDiff: typeof configDiffCommand;
  backtest: typeof backtestCommand;
  fit: typeof fitCommand;
  import: typeof importCommand;
  score: typeof scoreCommand;
}

export const DEFAULT_HANDLERS: CommandHandlers = {
  configValidate: configValidateCommand,
  configDiff: configDiffCommand,
  backtest: backtestCommand,
  fit: fitCommand,
  import: importCommand,
  score: scoreCommand,
};

const DATES_HELP = 'comma-separated as-of dates, e.g. 2026-06-01,2026-07-01 (at most 24)';

export function buildProgram(io: CliIo, handlers: CommandHandlers, setExitCode: (code: number) => void): Command {
  const program = new Command('health-signals')
    .description('Health Signals command line: validate and compare scoring configs, backtest and fit them, import usage, start scoring runs.')
    .option('--url <url>', `service URL (env HS_URL; default ${DEFAULT_URL})`)
    .option('--key <key>', 'API key (env HS_API_KEY)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  const context = (command: Command): CommandContext => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    let client: ApiClient | undefined;
    return { io, api: () => (client ??= new ApiClient(resolveConnection(globals, io.env))) };
  };
  /** Runs a command and turns every failure into a message and an exit code, never a stack trace. */
  const run = async (work: () => Promise<number>): Promise<void> => {
    try {
      setExitCode(await work());
    } catch (error) {
      if (error instanceof MissingKeyError || error instanceof InvalidArgumentError) {
        line(io.err, `error: ${error.message}`);
        setExitCode(EXIT_USAGE);
        return;
      }
      for (const text of describeError(error)) line(io.err, text);
      setExitCode(EXIT_FAILED);
    }
  };
  const sub = (parent: Command, name: string) => parent.command(name).exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });

  const config = sub(program, 'config').description('scoring config files: validate offline, compare with the active config');
  sub(config, 'validate')
    .description('check a config file (YAML or JSON) as PUT /v1/config would; prints every bad key path; offline')
    .argument('<file>', 'config file')
    .action((file: string, _options: object, command: Command) => run(() => handlers.configValidate(file, context(command))));
  sub(config, 'diff')
    .description('key-path diff from the active config (GET /v1/config) to a file')
    .argument('<file>', 'config file')
    .option('--json', 'print the changes as JSON')
    .action((file: string, options: { json?: boolean }, command: Command) => run(() => handlers.configDiff(file, options, context(command))));

  sub(program, 'backtest')
    .description('replay a config (default: the active one) at past dates against recorded outcomes: AUC, lift, precision@k, calibration')
    .option('--config <file>', 'candidate config file (YAML or JSON); default: the active config')
    .requiredOption('--as-of <dates>', DATES_HELP, parseDateList)
    .option('--horizon <days>', 'days after each date within which an outcome counts (7–365; default 90)', integerParser(7, 365))
    .option('--k <n>', 'list length for precision@k (default 20)', integerParser(1, 10_000))
    .option('--json', 'print the service’s whole answer as JSON')
    .action((options: Parameters<typeof backtestCommand>[0], command: Command) => run(() => handlers.backtest(options, context(command))));

  sub(program, 'fit')
    .description('fit learned churn and expansion models on every metric and recorded outcomes; reports them out of time against the active config (never activates them)')
    .requiredOption('--as-of <dates>', DATES_HELP, parseDateList)
    .addOption(new Option('--target <target>', 'which model to fit').choices(['churn', 'expansion', 'both']).default('both'))
    .option('--horizon <days>', 'outcome horizon in days (7–365; default 90)', integerParser(7, 365))
    .option('--l1-ratio <alpha>', 'elastic-net mixing: 1 = lasso (default), 0 = ridge', numberParser(0, 1))
    .option('--holdout-from <date>', 'out-of-time check: fit before this date, test from it (default: the last third of the dates)', parseDay)
    .option('--k <n>', 'list length for precision@k (default 20)', integerParser(1, 10_000))
    .option('--out <file>', 'write the candidate config here (.yaml, or .json)')
    .option('--json', 'print the service’s whole answer as JSON')
    .action((options: Parameters<typeof fitCommand>[0], command: Command) => run(() => handlers.fit(options, context(command))));

  sub(program, 'import')
    .description('stream a usage file (CSV with header account,metric,day,value, or NDJSON) to POST /v1/usage/import')
    .argument('<file>', 'file ending in .csv, .ndjson or .jsonl')
    .addOption(new Option('--mode <mode>', 'replace: stored values become the file’s; add: added to them').choices(['replace', 'add']).default('replace'))
    .option('--json', 'print the service’s answer as JSON')
    .action((file: string, options: Parameters<typeof importCommand>[1], command: Command) => run(() => handlers.import(file, options, context(command))));

  sub(program, 'score')
    .description('start a scoring run (POST /v1/runs) and follow it to the end')
    .option('--as-of <date>', 'score as of this day (default: yesterday)', parseDay)
    .addOption(new Option('--poll-ms <ms>', 'status poll interval').argParser(integerParser(10, 60_000)).hideHelp())
    .option('--timeout <seconds>', 'stop waiting after this long (default 3600); the run goes on', integerParser(1, 86_400))
    .option('--json', 'print the finished run as JSON')
    .action((options: Parameters<typeof scoreCommand>[0], command: Command) => run(() => handlers.score(options, context(command))));

  return program;
}

/** Parses `argv` (without node and the script), runs the command, and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, handlers: CommandHandlers = DEFAULT_HANDLERS): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, handlers, (exitCode) => {
    code = exitCode;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Help and version end with exit code 0; anything else commander refused is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw error;
  }
  return code;
}
