/**
 * Who may do what where, exactly per api.md's table. The order of checks matters: a cooperative outside
 * the principal's scope is 404 (indistinguishable from one that does not exist); inside the scope, an
 * action the role may not take is 403.
 */
import { regionWithin as regionCodeWithin } from "@bukubesar/ledger-core";
import type { Principal } from "@bukubesar/principals";
import { ApiProblem } from "./problem.js";

export type Action =
  | "read"
  | "manageAccounts"
  | "registerMember"
  | "post"
  | "approve"
  | "closePeriod"
  | "reopenPeriod"
  | "changeSettings"
  | "verify"
  | "acknowledgeAlert"
  | "acknowledgeIntegrityBreak";

const rolesFor: Readonly<Record<Action, readonly Principal["role"][]>> = {
  read: ["admin", "treasurer", "approver", "supervisor", "auditor"],
  manageAccounts: ["admin", "treasurer"],
  registerMember: ["admin", "treasurer"],
  post: ["admin", "treasurer"],
  approve: ["admin", "approver"],
  closePeriod: ["admin", "treasurer"],
  reopenPeriod: ["admin"],
  changeSettings: ["admin"],
  verify: ["admin", "auditor"],
  acknowledgeAlert: ["admin", "supervisor"],
  // Acknowledging a broken hash chain makes the cooperative writable again on top of the event as stored.
  acknowledgeIntegrityBreak: ["admin"],
};

/** Whether a region code lies within a scope: `*` or a prefix of whole dotted segments (ledger-core's rule). */
export const regionWithin = (regionCode: string, prefix: string): boolean =>
  prefix === "*" || regionCodeWithin(regionCode, prefix);

/** Whether the principal's scope covers the cooperative. */
export const canSee = (
  principal: Principal,
  coop: { readonly id: string; readonly regionCode: string },
): boolean => {
  switch (principal.role) {
    case "admin":
      return true;
    case "treasurer":
    case "approver":
      return principal.scope === coop.id;
    case "supervisor":
    case "auditor":
      return regionWithin(coop.regionCode, principal.scope);
    case "metrics":
      // A scraper's token reads GET /metrics and nothing about any cooperative.
      return false;
  }
};

/** Quick refusal before any lookup: a cooperative-scoped principal asking about another id. */
export const mayPossiblySee = (principal: Principal, coopId: string): boolean =>
  principal.role === "treasurer" || principal.role === "approver" ? principal.scope === coopId : true;

export const mayDo = (principal: Principal, action: Action): boolean =>
  rolesFor[action].includes(principal.role);

/** The refusal of a role that may not take an action. */
export const roleForbidden = (principal: Principal): ApiProblem =>
  new ApiProblem("forbidden", `The role ${principal.role} may not do this.`);

export const requireRole = (principal: Principal, action: Action): void => {
  if (!mayDo(principal, action)) throw roleForbidden(principal);
};

/** Whether a region query lies within the principal's scope (for `?region=`). */
export const regionQueryAllowed = (principal: Principal, region: string): boolean => {
  switch (principal.role) {
    case "admin":
      return true;
    case "supervisor":
    case "auditor":
      return regionWithin(region, principal.scope) || principal.scope === "*";
    case "treasurer":
    case "approver":
      return true;
    case "metrics":
      return false;
  }
};
