import { Command, CommanderError, Option } from 'commander';
import { FlinkError, VERSION } from 'flink-client';
import { collect, examples } from './action.js';
import { Interrupted } from './cli-context.js';
import { appsCommand } from './commands/apps.js';
import { clusterCommand } from './commands/cluster.js';
import { completionCommand } from './commands/completion.js';
import { deployCommand } from './commands/deploy.js';
import { jarsCommand } from './commands/jars.js';
import { jobsCommand } from './commands/jobs.js';
import { logsCommand } from './commands/logs.js';
import { simulateCommand } from './commands/simulate.js';
import { sqlCommand } from './commands/sql.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import type { CliIo } from './io.js';
import { createStyle } from './style.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    any other error (server error, invalid response)
  2    usage: bad flags or arguments, an invalid id, a feature the cluster's version lacks
  3    not found: job, application, jar, operation
  4    conflict: HTTP 409, or the job already ended
  5    timeout: a request or wait ran past its deadline (--timeout)
  6    connection: the cluster could not be reached
  7    authentication: credentials missing or refused
  8    failed: the job, application or operation waited on failed
  130  interrupted (Ctrl-C); an operation being waited on goes on in Flink

Environment:
  FLINK_URL (comma-separated for HA), FLINK_TOKEN, FLINK_USER + FLINK_PASSWORD, FLINK_CA,
  FLINK_CERT + FLINK_KEY, FLINK_INSECURE=1, FLINK_CONTEXT, FLINK_CLIENT_CONFIG (the contexts file,
  default ~/.config/flink-client/contexts.json), NO_COLOR, FORCE_COLOR.
`;

/** Builds the command tree for one run. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('flink-client')
    .description("Drive Apache Flink from the command line through its REST API: jobs, applications, savepoints, jars, and a simulator")
    .version(VERSION, '-V, --version')
    .option('--url <url>', 'JobManager REST URL; repeat (or comma-separate) for HA (env FLINK_URL)', collect)
    .option('--context <name>', 'a named context from the contexts file (env FLINK_CONTEXT)')
    .option('--config <file>', 'the contexts file (env FLINK_CLIENT_CONFIG)')
    .option('--token <token>', 'bearer token (env FLINK_TOKEN)')
    .option('--user <name>', 'basic auth user; the password from FLINK_PASSWORD (env FLINK_USER)')
    .addOption(new Option('--password <password>', 'basic auth password (prefer env FLINK_PASSWORD: flags show in ps)').hideHelp())
    .option('--ca <file>', 'PEM file of CA certificates to trust (env FLINK_CA)')
    .option('--cert <file>', 'client certificate for mTLS (env FLINK_CERT)')
    .option('--key <file>', 'client key for mTLS (env FLINK_KEY)')
    .option('--insecure', 'do not verify the server certificate (env FLINK_INSECURE=1)')
    .option('--timeout <duration>', 'deadline of waits (30s, 10m, 1h); also caps each request attempt')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'ndjson']).default('table'))
    .option('-q, --quiet', 'no progress or notes on stderr')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('-v, --verbose', 'error details: stack traces, causes, request ids')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      examples(
        'flink-client jobs list',
        'flink-client --url https://jm-0:8081 --url https://jm-1:8081 --ca ca.pem jobs list',
        'flink-client deploy ./my-job.jar -p 2',
        'flink-client jobs stop <job-id> --dir file:///data/savepoints -o json',
        'flink-client simulate --port 8081',
        'source <(flink-client completion bash)',
      ) + EXIT_CODES_HELP,
    );
  clusterCommand(program, io);
  jobsCommand(program, io);
  appsCommand(program, io);
  jarsCommand(program, io);
  deployCommand(program, io);
  logsCommand(program, io);
  sqlCommand(program, io);
  simulateCommand(program, io);
  completionCommand(program, io);
  // Usage errors and help go through io, and end the run with a code instead of process.exit().
  const configure = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * Runs the CLI once with `argv` (the arguments after the program name) and resolves to the exit
 * code. Never throws and never exits the process: main.ts does that.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed the message (or the help) already.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (err instanceof Interrupted) return EXIT.INTERRUPTED;
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const color = !argv.includes('--no-color');
    io.stderr.write(`${describeError(err, verbose, createStyle(io.stderr, io.env, color).red)}\n`);
    const code = exitCodeOf(err);
    if (code === EXIT.USAGE && !(err instanceof FlinkError)) io.stderr.write("(see 'flink-client --help')\n");
    return code;
  }
}

/** An error as people read it: the SDK's message and code; with --verbose the stack, causes and request id. */
function describeError(err: unknown, verbose: boolean, red: (s: string) => string): string {
  if (!(err instanceof Error)) return `${red('error:')} ${String(err)}`;
  const code = err instanceof FlinkError ? ` [${err.code}]` : '';
  if (err instanceof FlinkError && err.code === 'FLINK_ABORTED') return `${red('interrupted')}`;
  let text = `${red(`error${code}:`)} ${err.message}`;
  if (verbose) {
    const requestId = (err as { requestId?: string }).requestId;
    if (requestId) text += `\nrequest id: ${requestId}`;
    text += `\n${err.stack ?? ''}`;
    let cause = err.cause;
    while (cause instanceof Error) {
      text += `\ncaused by: ${cause.stack ?? cause.message}`;
      cause = cause.cause;
    }
  }
  return text;
}
