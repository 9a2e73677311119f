/**
 * `bukubesar route <regionCode>`: prints the API URL of the cluster that serves a cooperative of this
 * region, from the routing table in REGION_ROUTES_FILE (docs/scaling.md, "80,000 cooperatives").
 */
import { readFileSync } from "node:fs";
import { CliError } from "./cliError.js";
import type { CommandContext } from "./commandContext.js";
import { EXIT_OK, EXIT_USAGE, type ExitCode } from "./exitCode.js";
import { clusterForRegion, parseRegionRoutes } from "./regionRoutes.js";

export const runRoute = (context: CommandContext, regionCode: string): ExitCode => {
  const file = context.environment.REGION_ROUTES_FILE?.trim() ?? "";
  if (file === "")
    throw new CliError("REGION_ROUTES_FILE must name the routing table (a JSON file)", EXIT_USAGE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read REGION_ROUTES_FILE: ${(error as Error).message}`, EXIT_USAGE);
  }
  let url: string | null;
  try {
    url = clusterForRegion(parseRegionRoutes(text), regionCode);
  } catch (error) {
    throw new CliError((error as Error).message, EXIT_USAGE);
  }
  if (url === null)
    throw new CliError(
      `no cluster serves region ${JSON.stringify(regionCode)} (a full Kemendagri code such as 35.74.03.1002; add a route or "*")`,
      EXIT_USAGE,
    );
  context.stdout.write(`${url}\n`);
  return EXIT_OK;
};
