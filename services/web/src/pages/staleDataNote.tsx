import { useEffect, useState } from "preact/hooks";
import { dateTime } from "../format.js";
import { useWords } from "../i18n.js";
import { onStaleData } from "../offline/dataCache.js";

/** The device's own time zone, in which "data as of" is told (the kept answers may be of any cooperative). */
const deviceTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Says, while the page shows answers kept from an earlier visit (no network), how old they are. */
export const StaleDataNote = () => {
  const { t, language } = useWords();
  const [cachedAt, setCachedAt] = useState<string | null>(null);
  useEffect(() => onStaleData(setCachedAt), []);
  if (cachedAt === null) return null;
  return (
    <p class="stale" role="status" data-testid="stale-data">
      <strong>
        {t("dataAsOf")} {dateTime(cachedAt, deviceTimeZone(), language)}
      </strong>{" "}
      {t("offlineData")}
    </p>
  );
};
