/** Cooperatives, accounts and members as the API shows them. */
import type { LedgerSnapshot } from "@bukubesar/snapshots";

export const accountsView = (snapshot: LedgerSnapshot) =>
  [...snapshot.state.accounts.values()].map((account) => ({
    code: account.code,
    name: account.name,
    type: account.accountType,
    normalBalance: account.normalBalance,
    noOverdraft: account.noOverdraft,
    postable: account.postable,
    open: account.open,
    parent: account.parent,
    memberControl: account.memberControl,
    businessWith: account.businessWith,
    systemAccount: account.systemAccount,
  }));

export const membersView = (snapshot: LedgerSnapshot) =>
  [...snapshot.state.members.values()].map((member) => ({
    memberId: member.memberId,
    name: member.name,
    joinedOn: member.joinedOn,
    role: member.role,
    exitedOn: member.exitedOn,
  }));

export const cooperativeView = (snapshot: LedgerSnapshot) => ({
  id: snapshot.coopId,
  name: snapshot.state.name,
  regionCode: snapshot.state.regionCode,
  settings: snapshot.state.settings,
  accounts: accountsView(snapshot),
});

/** Cursors are opaque to clients: the last item's key, base64url-encoded. */
export const encodeCursor = (key: string): string => Buffer.from(key, "utf8").toString("base64url");
export const decodeCursor = (cursor: string): string => Buffer.from(cursor, "base64url").toString("utf8");
