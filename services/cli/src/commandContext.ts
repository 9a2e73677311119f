import { resolveStoreUrl } from "./storeLocation.js";

/** What every command reads from its surroundings; passed in so tests can run commands in-process. */
export interface CommandContext {
  readonly environment: NodeJS.ProcessEnv;
  readonly workingDirectory: string;
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stdin: NodeJS.ReadableStream;
}

export const processContext = (): CommandContext => ({
  environment: process.env,
  workingDirectory: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

export const storeUrlOf = (context: CommandContext): string =>
  resolveStoreUrl(context.environment, context.workingDirectory);

export const writeLine = (stream: NodeJS.WritableStream, line = ""): void => {
  stream.write(`${line}\n`);
};
