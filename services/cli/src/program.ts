import { Argument, Command, CommanderError, Option } from "commander";
import { CliError } from "./cliError.js";
import type { CommandContext } from "./commandContext.js";
import { bashCompletionScript } from "./completion.js";
import { EXIT_OK, EXIT_USAGE, EXIT_VERIFICATION_FAILED, type ExitCode } from "./exitCode.js";
import { packageVersion } from "./packageVersion.js";
import type { TagAccountOptions } from "./tagAccountCommand.js";

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 verification failed or input refused, 2 usage, 3 store unreachable.
The store is STORE_URL (sqlite:PATH, postgres://…, esdb://…), default sqlite:$DATA_DIR/bukubesar.db
with DATA_DIR default ./data; relative paths are taken from the directory the command was typed in.`;

const examples = (...lines: string[]): string =>
  `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;

/** Runs one command's body and records its exit code for `runCli`. */
type Runner = (work: () => Promise<ExitCode>) => Promise<void>;

/**
 * Builds the `bukubesar` program. Every command's module is loaded only when that command runs, so
 * `--help`, `--version` and `completion` load nothing but commander, and `verify` never loads the HTTP
 * service, PDF or NATS.
 */
export const createProgram = (context: CommandContext, run: Runner): Command => {
  const program = new Command("bukubesar")
    .description("The bukubesar ledger engine: serve the API, import, verify, report.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .showHelpAfterError("(run with --help for usage)")
    .version(packageVersion(), "-V, --version", "print the version")
    .addHelpText("after", EXIT_CODES_HELP);

  addServiceCommands(program, context, run);
  addImportCommand(program, context, run);
  addCheckCommands(program, context, run);
  addReadCommands(program, context, run);
  addReportCommands(program, context, run);
  addOperationCommands(program, context, run);

  program
    .command("completion")
    .description("Print a shell completion script")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash"]))
    .addHelpText(
      "after",
      `${examples("source <(bukubesar completion bash)", "bukubesar completion bash > /etc/bash_completion.d/bukubesar")}
zsh reads the same script after \`autoload -U +X bashcompinit && bashcompinit\`.`,
    )
    .action(() =>
      run(async () => {
        context.stdout.write(bashCompletionScript(program));
        return EXIT_OK;
      }),
    );

  return program;
};

/** The commands that serve the API and run the supervisor, in the order the help lists them. */
const addServiceCommands = (program: Command, context: CommandContext, run: Runner): void => {
  program
    .command("serve")
    .description("Run the HTTP API (what ./scripts/start runs); PORT, DATA_DIR, STORE_URL, NATS_URL…")
    .option("--demo", "also seed the demo cooperative kkmp-mangunharjo with a year of entries")
    .option("--no-supervisor", "do not run the supervisor in this process (run `bukubesar supervise` apart)")
    .addHelpText(
      "after",
      examples(
        "PORT=8080 DATA_DIR=./data bukubesar serve",
        "bukubesar serve --demo",
        "bukubesar serve --no-supervisor & bukubesar supervise",
      ),
    )
    .action((options: { demo?: boolean; supervisor: boolean }) =>
      run(async () => {
        const api = await import("@bukubesar/ledger-api");
        // The composition root: the API runs the supervisor it is given, and imports no other service.
        const { startSupervisor } = await import("@bukubesar/supervisor");
        await api.serve({
          demo: options.demo === true,
          ...(options.supervisor ? { startSupervisor } : {}),
        });
        // serve() keeps the process alive with its server; the exit code comes when it stops.
        return new Promise<ExitCode>(() => undefined);
      }),
    );

  program
    .command("supervise")
    .description("Run the supervisor alone: follow the store, record alerts, publish them (NATS or stdout)")
    .addHelpText(
      "after",
      `${examples(
        "DATA_DIR=./data bukubesar supervise",
        "NATS_URL=nats://127.0.0.1:4222 STORE_URL=postgres://… bukubesar supervise",
      )}
Follows the store given by STORE_URL / DATA_DIR from its checkpoint, records each alert as AlertRaised in
alerts-<coopId>, and publishes it to NATS JetStream when NATS_URL is set (NATS_ALERTS_STREAM,
NATS_SUBJECT_PREFIX), else prints it as one JSON line on stdout. Run the API with serve --no-supervisor
beside it, so that one supervisor follows the store. SIGTERM (or Ctrl-C) stops it gracefully with exit 0.`,
    )
    .action(() => run(async () => (await import("./superviseCommand.js")).runSupervise(context)));
};

/** The commands that import entries from a file, in the order the help lists them. */
const addImportCommand = (program: Command, context: CommandContext, run: Runner): void => {
  program
    .command("import")
    .description("Import journal entries from a JSON Lines (or .csv) file, every API rule applied")
    .requiredOption("--coop <id>", "the cooperative")
    .requiredOption(
      "--file <path>",
      "entries.jsonl: one POST journal-entries body plus idempotencyKey per line",
    )
    .option("--as <name>", "recorded as principal cli:<name>", "import")
    .option("--dry-run", "check every line and list every refusal (up to 100); record nothing")
    .option("--delimiter <separator>", "CSV separator: , ; | or tab (default: detected from the header)")
    .option("--decimal <mark>", "decimal mark of CSV amounts: . (default) or , for 1.234.567,50", ".")
    .addHelpText(
      "after",
      `${examples(
        "bukubesar import --coop kkmp-mangunharjo --file entries.jsonl",
        "bukubesar import --coop kkmp-mangunharjo --file buku-2025.csv --as bendahara",
        "bukubesar import --coop kkmp-mangunharjo --file ekspor-excel.csv --decimal=, --dry-run",
      )}
A JSONL line: {"idempotencyKey":"2025-0001","date":"2025-01-15","memo":"Setoran",
  "lines":[{"account":"1101","debit":"50000"},{"account":"3200","credit":"50000","memberId":"A-0012"}]}
CSV header (one row per entry line, rows with the same idempotencyKey form one entry):
  idempotencyKey,date,memo,account,debit,credit,memberId,unit,counterparty,lineMemo
The separator (comma, semicolon, tab, bar), a UTF-8 byte order mark and quoting are taken as the file
has them. Amounts with a decimal comma and dots between thousands (Indonesian Excel: 1.234.567,50) are
read only with --decimal=, or under a header naming the amount columns debet and kredit, and refused
with that advice otherwise; they are never guessed.
Every line is checked before anything is recorded; a bad line names its number and field and
nothing is recorded; --dry-run lists every bad line. Re-running a file records nothing twice.`,
    )
    .action(
      (options: {
        coop: string;
        file: string;
        as: string;
        dryRun?: boolean;
        delimiter?: string;
        decimal?: string;
      }) => run(async () => (await import("./importCommand.js")).runImport(context, options)),
    );
};

/** The commands that tag an account, verify the ledger, write a checkpoint, in the order the help lists them. */
const addCheckCommands = (program: Command, context: CommandContext, run: Runner): void => {
  program
    .command("tag-account")
    .description("Set control tags on an account of a chart opened before the tags existed")
    .requiredOption("--coop <id>", "the cooperative")
    .requiredOption("--account <code>", "the account code, e.g. 3200")
    .option("--member-control", "a member sub-ledger: every line names a member")
    .addOption(
      new Option("--business-with <side>", "member or non-member business only").choices([
        "member",
        "non_member",
      ]),
    )
    .option("--system-account", "moved only by the close, the RAT decision and adjusting entries")
    .option("--as <name>", "recorded as principal cli:<name>", "admin")
    .addHelpText(
      "after",
      `${examples(
        "bukubesar tag-account --coop kkmp-mangunharjo --account 3200 --member-control",
        "bukubesar tag-account --coop kkmp-mangunharjo --account 4101 --business-with member",
      )}
The same rules as POST …/accounts/{code}/tags (docs/accounting.md, section 1): a refusal prints its
code (account_history_conflicts, account_tag_locked, validation_failed, unknown_account) and records nothing.`,
    )
    .action((options: TagAccountOptions) =>
      run(async () => (await import("./tagAccountCommand.js")).runTagAccount(context, options)),
    );

  program
    .command("verify")
    .description("Check every hash chain and invariant; recompute balances and compare with the projections")
    .option("--coop <id>", "only this cooperative")
    .option("--checkpoint <file>", "a signed checkpoint: each chain must still pass through its heads")
    .option("--public-key <pem>", "the checkpoint signer's public key (PEM) you kept")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      examples(
        "bukubesar verify",
        "bukubesar verify --coop kkmp-mangunharjo",
        "bukubesar verify --checkpoint 2026-01-31.checkpoint.json --public-key auditor.pem.pub",
      ),
    )
    .action((options: { coop?: string; checkpoint?: string; publicKey?: string; json?: boolean }) =>
      run(async () => (await import("./verifyCommand.js")).runVerify(context, options)),
    );

  program
    .command("checkpoint")
    .description("Write a signed (Ed25519) statement of every ledger's head revision and hash")
    .option("--key <pem>", "the Ed25519 private key (PEM) to sign with")
    .option("--out <file>", "write the checkpoint here instead of stdout")
    .option("--generate-key <file>", "create a new key pair: <file> (private) and <file>.pub")
    .addHelpText(
      "after",
      examples(
        "bukubesar checkpoint --generate-key auditor.pem",
        "bukubesar checkpoint --key auditor.pem --out 2026-01-31.checkpoint.json",
      ),
    )
    .action((options: { key?: string; out?: string; generateKey?: string }) =>
      run(async () => (await import("./checkpointCommand.js")).runCheckpoint(context, options)),
    );
};

/** The commands that print the trial balance and export the ledger, in the order the help lists them. */
const addReadCommands = (program: Command, context: CommandContext, run: Runner): void => {
  program
    .command("trial-balance")
    .description("The trial balance (neraca saldo) of a cooperative")
    .requiredOption("--coop <id>", "the cooperative")
    .option("--as-of <date>", "YYYY-MM-DD, default today (WIB)")
    .option("--json", "print the API's JSON")
    .option("--before-closing", "leave out that day's closing entries (neraca saldo sebelum penutupan)")
    .addHelpText(
      "after",
      examples(
        "bukubesar trial-balance --coop kkmp-mangunharjo --as-of 2025-12-31",
        "bukubesar trial-balance --coop kkmp-mangunharjo --as-of 2025-12-31 --before-closing",
      ),
    )
    .action((options: { coop: string; asOf?: string; json?: boolean; beforeClosing?: boolean }) =>
      run(async () => (await import("./trialBalanceCommand.js")).runTrialBalance(context, options)),
    );

  program
    .command("export")
    .description("Export a cooperative's journal for ledger-cli / hledger to stdout")
    .requiredOption("--coop <id>", "the cooperative")
    .addOption(new Option("--format <format>", "the export format").choices(["ledger"]).default("ledger"))
    .addHelpText(
      "after",
      examples("bukubesar export --coop kkmp-mangunharjo --format ledger | ledger -f - balance"),
    )
    .action((options: { coop: string }) =>
      run(async () => (await import("./exportCommand.js")).runExport(context, options)),
    );
};

/** The commands that render a report and replay the log, in the order the help lists them. */
const addReportCommands = (program: Command, context: CommandContext, run: Runner): void => {
  program
    .command("report")
    .description(
      "A financial report as a table, JSON, CSV or PDF (in Indonesian); report rat-pack: the RAT pack PDF",
    )
    .argument("[kind]", "the report, as --kind gives it (e.g. rat-pack)")
    .requiredOption("--coop <id>", "the cooperative")
    .addOption(
      new Option("--kind <kind>", "the report").choices([
        "trial-balance",
        "balance-sheet",
        "income-statement",
        "equity-changes",
        "cash-flow",
        "general-ledger",
        "journal",
        "member-statement",
        "unit-summary",
        "unit-results",
        "shu",
        "notes",
        "rat-pack",
      ]),
    )
    .option("--as-of <date>", "YYYY-MM-DD (trial-balance, balance-sheet, member-statement, notes)")
    .option(
      "--from <date>",
      "YYYY-MM-DD, inclusive (income-statement, equity-changes, cash-flow, general-ledger)",
    )
    .option("--to <date>", "YYYY-MM-DD, inclusive")
    .option("--account <code>", "the account (general-ledger)")
    .option("--member <id>", "the member (member-statement)")
    .option("--year <yyyy>", "the fiscal year (shu, rat-pack)")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["table", "json", "csv", "pdf"])
        .default("table"),
    )
    .option("--out <file>", "write to this file (required for pdf on a terminal)")
    .addHelpText(
      "after",
      examples(
        "bukubesar report --coop kkmp-mangunharjo --kind balance-sheet --as-of 2025-12-31 --format pdf --out neraca.pdf",
        "bukubesar report --coop kkmp-mangunharjo --kind general-ledger --account 1101 --from 2025-01-01 --to 2025-12-31",
        "bukubesar report rat-pack --coop kkmp-mangunharjo --year 2025 --out rat-2025.pdf",
      ),
    )
    .action((kind: string | undefined, options: Record<string, string | undefined>) =>
      run(async () =>
        (await import("./reportCommand.js")).runReport(context, {
          ...options,
          kind: kind ?? options.kind,
        } as never),
      ),
    );

  program
    .command("replay")
    .description("Rebuild every read model from the log, with progress; prints events/s")
    .addHelpText("after", examples("bukubesar replay"))
    .action(() => run(async () => (await import("./replayCommand.js")).runReplay(context)));
};

/** The commands that follow alerts, route a region and administer the admin token, in the order the help lists them. */
const addOperationCommands = (program: Command, context: CommandContext, run: Runner): void => {
  const alerts = program.command("alerts").description("Supervision alerts");
  alerts
    .command("tail")
    .description("Print alerts as they arrive: from NATS when NATS_URL is set, else the API's SSE stream")
    .requiredOption("--region <prefix>", "a region prefix, e.g. 35.74")
    .addOption(new Option("--severity <level>", "minimum severity").choices(["info", "warning", "high"]))
    .option("--json", "print JSON Lines")
    .option("--api <url>", "the API base URL (without NATS_URL)", "http://127.0.0.1:8080")
    .option("--token <token>", "a bearer token for the API (or BUKUBESAR_TOKEN)")
    .addHelpText(
      "after",
      `${examples(
        "NATS_URL=nats://127.0.0.1:4222 bukubesar alerts tail --region 35.74 --severity high --json",
        "bukubesar alerts tail --region 35.74 --api http://127.0.0.1:8080 --token $TOKEN",
      )}
With NATS_URL set it reads JetStream (NATS_ALERTS_STREAM, default ALERTS; NATS_SUBJECT_PREFIX, default
alerts); otherwise the API's Server-Sent Events stream. A line shows time, severity, region, cooperative,
rule and summary; --json prints each alert's JSON body instead. Ctrl-C (or SIGTERM) stops it with exit 0.`,
    )
    .action((options: { region: string; severity?: string; json?: boolean; api: string; token?: string }) =>
      run(async () => (await import("./alertsTailCommand.js")).runAlertsTail(context, options)),
    );

  program
    .command("route")
    .description("Print the API URL of the cluster that serves a region (REGION_ROUTES_FILE)")
    .addArgument(new Argument("<regionCode>", "a cooperative's Kemendagri code, e.g. 35.74.03.1002"))
    .addHelpText(
      "after",
      `${examples("REGION_ROUTES_FILE=/etc/bukubesar/regions.json bukubesar route 35.74.03.1002")}
The file is a JSON object from region prefixes (whole segments: 35, 35.74, …) to the cluster's API URL;
the longest matching prefix wins and "*" takes the rest (docs/scaling.md).`,
    )
    .action((regionCode: string) =>
      run(async () => (await import("./routeCommand.js")).runRoute(context, regionCode)),
    );

  program
    .command("drop-snapshot")
    .description(
      "Remove a stored snapshot that verify found to differ from the log (stop serve/supervise first)",
    )
    .option("--coop <id>", "the cooperative's snapshot")
    .option("--rules", "the supervisor's rule-state snapshot")
    .addHelpText(
      "after",
      examples("bukubesar drop-snapshot --coop kkmp-mangunharjo", "bukubesar drop-snapshot --rules"),
    )
    .action((options: { coop?: string; rules?: boolean }) =>
      run(async () => (await import("./dropSnapshotCommand.js")).runDropSnapshot(context, options)),
    );

  program
    .command("admin-token")
    .description("Administer the admin token (local access to the store)")
    .option("--reset", "print a new admin token and revoke the old one")
    .addHelpText("after", examples("bukubesar admin-token --reset"))
    .action((options: { reset?: boolean }) =>
      run(async () => (await import("./adminTokenCommand.js")).runAdminToken(context, options)),
    );
};

/** Runs the program on `argv` (without node and script) and returns the exit code. */
export const runCli = async (argv: readonly string[], context: CommandContext): Promise<ExitCode> => {
  let exitCode: ExitCode = EXIT_OK;
  const run: Runner = async (work) => {
    exitCode = await work();
  };
  const program = createProgram(context, run);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return exitCodeOfFailure(error, context);
  }
};

/** The exit code of a command that threw: usage for commander's refusals, the error's own for a CliError. */
const exitCodeOfFailure = (error: unknown, context: CommandContext): ExitCode => {
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.help" ||
      error.code === "commander.version"
    ) {
      return EXIT_OK;
    }
    return EXIT_USAGE;
  }
  if (error instanceof CliError) {
    context.stderr.write(`bukubesar: ${error.message}\n`);
    return error.exitCode;
  }
  // The service's ConfigurationError (an unknown LOG_LEVEL, a bad PORT), matched by name so that this
  // module does not load the HTTP service for commands that never use it.
  if (error instanceof Error && error.name === "ConfigurationError") {
    context.stderr.write(`bukubesar: ${error.message}\n`);
    return EXIT_USAGE;
  }
  context.stderr.write(
    `bukubesar: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT_VERIFICATION_FAILED;
};
