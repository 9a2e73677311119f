/**
 * The ledger's vocabulary: the shape of every identifier and the closed sets of words a command may use,
 * written once. The decider checks commands with these, and the HTTP codecs, the CLI import, the bus and
 * the supervision rules import them too, so a value one part accepts is never refused by another for
 * being malformed (docs/design.md, Commands and the decider).
 */

/** A cooperative id as api.md defines it; it becomes part of the stream name. */
export const COOP_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;

/**
 * Account codes: short, letters, digits, dots and dashes, no spaces. They appear in ledger-cli exports as
 * `Aset:1101` and in every report, so an underscore (which the reports' column tools treat as a word
 * joiner) is not one of them.
 */
export const ACCOUNT_CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$/;

/** Member ids: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. "A-0012"). */
export const MEMBER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A village-level Kemendagri code, e.g. `35.74.03.1002` (api.md: cooperatives are opened at that level). */
export const REGION_CODE_PATTERN = /^\d{2}\.\d{2}\.\d{2}\.[123]\d{3}$/;

/** A region prefix: 1 to 4 whole dotted segments of a village code (`35`, `35.74`, … `35.74.03.1002`). */
export const REGION_PREFIX_PATTERN = /^\d{2}(\.\d{2}(\.\d{2}(\.[123]\d{3})?)?)?$/;

/** How many dotted segments a whole region code has: province, kabupaten/kota, kecamatan, desa/kelurahan. */
export const REGION_CODE_SEGMENTS = 4;

/** A clock time `HH:MM` on the cooperative's clock (business hours). */
export const CLOCK_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An Idempotency-Key: 1 to this many printable ASCII characters. */
export const IDEMPOTENCY_KEY_LENGTH_MAX = 128;

/**
 * An Idempotency-Key: printable ASCII, neither the first nor the last character a space. HTTP trims the
 * whitespace around a header value, so a key with a space at either end could never be sent again over
 * HTTP: the import, which reads keys from a file, is held to the same rule so a key it records can be
 * retried by either path.
 */
export const IDEMPOTENCY_KEY_PATTERN = new RegExp(
  `^[\\x21-\\x7e](?:[\\x20-\\x7e]{0,${IDEMPOTENCY_KEY_LENGTH_MAX - 2}}[\\x21-\\x7e])?$`,
);

export const isCoopId = (value: unknown): value is string =>
  typeof value === "string" && COOP_ID_PATTERN.test(value);

export const isAccountCode = (value: unknown): value is string =>
  typeof value === "string" && ACCOUNT_CODE_PATTERN.test(value);

export const isMemberId = (value: unknown): value is string =>
  typeof value === "string" && MEMBER_ID_PATTERN.test(value);

export const isRegionCode = (value: unknown): value is string =>
  typeof value === "string" && REGION_CODE_PATTERN.test(value);

export const isRegionPrefix = (value: unknown): value is string =>
  typeof value === "string" && REGION_PREFIX_PATTERN.test(value);

export const isIdempotencyKey = (value: unknown): value is string =>
  typeof value === "string" && IDEMPOTENCY_KEY_PATTERN.test(value);

/** Whether a region code lies within a prefix of whole dotted segments (`35.7` is not a prefix of `35.74`). */
export const regionWithin = (regionCode: string, prefix: string): boolean =>
  regionCode === prefix || regionCode.startsWith(`${prefix}.`);

/** "Every region", as a supervisor with scope `*` asks for it. */
export const ALL_REGIONS = "*";

/** Whether a region code lies inside a region prefix or "*" (whole segments only: "35.7" is not a prefix of "35.74"). */
export const regionMatches = (regionPrefix: string, regionCode: string): boolean =>
  regionPrefix === ALL_REGIONS || regionWithin(regionCode, regionPrefix);

// The closed sets of words. Each is the one list its type is made from.

export const ACCOUNT_TYPES = ["asset", "liability", "equity", "income", "expense"] as const;
export const NORMAL_BALANCES = ["debit", "credit"] as const;
export const MEMBER_ROLES = ["member", "pengurus", "pengawas"] as const;
export const COUNTERPARTIES = ["member", "non_member", "supplier", "bank", "government", "other"] as const;
export const BUSINESS_WITH = ["member", "non_member"] as const;
/** The three Indonesian time zones: WIB, WITA and WIT. */
export const TIME_ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"] as const;
export const ROLES = ["admin", "treasurer", "approver", "supervisor", "auditor", "metrics"] as const;
/** The kinds of entry a person may ask for; the others (reversal, closing, …) the ledger makes itself. */
export const REQUESTED_ENTRY_KINDS = ["regular", "adjusting"] as const;
export const OVERHEAD_BASES = ["revenue", "expense", "equal"] as const;
