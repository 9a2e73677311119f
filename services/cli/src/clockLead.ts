/**
 * The CLI's writers (import, tag-account) record no earlier than the stream's last recordedAt, as the API
 * does (docs/reliability.md section 6, #27). When that instant is ahead of this machine's clock by more
 * than RECORDED_AT_LEAD_MAX_MS they still do so (never backwards), and say it on stderr: some writer's
 * clock was set ahead and the cooperative's recordedAt is pinned. The service raises its alert
 * (`clock_behind_ledger`) at its next write of that cooperative, which finds the same lead.
 */
import { recordedAtLeadBeyondLimit } from "@bukubesar/ledger-core";
import { type CommandContext, writeLine } from "./commandContext.js";

export const warnOfClockLead = (
  stderr: CommandContext["stderr"],
  coopId: string,
  lastRecordedAt: string,
  clock: string,
): void => {
  const lead = recordedAtLeadBeyondLimit(lastRecordedAt, clock);
  if (lead === null) return;
  writeLine(
    stderr,
    `bukubesar: warning: ${coopId} was last recorded at ${lastRecordedAt}, ${Math.round(lead / 1000)} s ahead of this machine's clock (${clock}); its new events are recorded at that instant. Check the clocks of every machine that writes to this store.`,
  );
};
