/**
 * `serve --demo`: one principal of each role for the demo cooperative, so that the web application can be
 * tried at once. Tokens are stored only as hashes and so cannot be shown again: each demo start revokes
 * the previous demo principals and issues new ones, whose tokens are printed for the user to paste.
 */
import type { Role } from "@bukubesar/ledger-core";
import type { PrincipalRegistry } from "@bukubesar/principals";
import { DEMO_COOPERATIVE } from "./demoHistory.js";

/** The names of demo principals start with this, so the next demo start finds and revokes them. */
const DEMO_NAME_PREFIX = "demo ";
/** The demo region: the kecamatan of the demo cooperative, as a supervisor or auditor there would see it. */
const DEMO_REGION = DEMO_COOPERATIVE.regionCode.split(".").slice(0, 2).join(".");

const DEMO_ROLES: readonly { readonly role: Role; readonly scope: string; readonly name: string }[] = [
  { role: "treasurer", scope: DEMO_COOPERATIVE.id, name: `${DEMO_NAME_PREFIX}bendahara` },
  { role: "approver", scope: DEMO_COOPERATIVE.id, name: `${DEMO_NAME_PREFIX}penyetuju` },
  { role: "supervisor", scope: DEMO_REGION, name: `${DEMO_NAME_PREFIX}pengawas` },
  { role: "auditor", scope: DEMO_REGION, name: `${DEMO_NAME_PREFIX}auditor` },
];

export interface DemoToken {
  readonly role: Role;
  readonly name: string;
  readonly token: string;
}

export const issueDemoTokens = async (principals: PrincipalRegistry): Promise<DemoToken[]> => {
  const system = { principalId: "demo:seed", role: "system" as const };
  for (const principal of principals.all())
    if (principal.name.startsWith(DEMO_NAME_PREFIX)) await principals.revoke(principal.principalId, system);
  const tokens: DemoToken[] = [];
  for (const fields of DEMO_ROLES) {
    const issued = await principals.issue(fields, system);
    tokens.push({ role: fields.role, name: fields.name, token: issued.token });
  }
  return tokens;
};
