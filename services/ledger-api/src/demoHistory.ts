/**
 * A realistic KKMP's books from 1 January of last year to yesterday, made deterministically from a seed, for
 * `./scripts/start --demo`; last year is closed and its RAT decided (the seed does that, on their days).
 *
 * The history is data only (the bodies a treasurer would POST), so the demo goes through exactly the same
 * validation and decider as real use. Cash is tracked while generating so the no-overdraft rule on Kas Besar
 * never refuses a demo entry. Amounts are whole rupiah, as cash-settled postings are.
 */

export const DEMO_COOPERATIVE = {
  id: "kkmp-mangunharjo",
  name: "KKMP Mangunharjo",
  regionCode: "35.74.03.1002",
} as const;

/** How many members the demo cooperative has; a KKMP starts with a few dozen. */
export const DEMO_MEMBER_COUNT = 30;
/**
 * The demo's year end: the previous year is closed early in January (asked by the treasurer, approved by
 * the ketua) and its RAT is held in March, or on the seeding day when that comes earlier.
 */
const DEMO_CLOSE_MONTH_DAY = "01-10";
const DEMO_RAT_MONTH_DAY = "03-15";

/** The allocation the demo's RAT decides (the textbook split of docs/accounting.md). */
export const DEMO_RAT_ALLOCATION: Readonly<Record<string, string>> = {
  cadangan: "30",
  jasaUsaha: "30",
  jasaModal: "20",
  pengurusPengawas: "5",
  karyawan: "5",
  pendidikan: "5",
  sosial: "2.5",
  pembangunanDaerahKerja: "2.5",
};

/**
 * The demo cooperative's AD/ART rules on SHU (its settings): the RAT's allocation, of which the meeting may
 * change jasa usaha and jasa modal and how a loss is covered; loan interest counts half in jasa usaha.
 */
export const DEMO_SHU_RULES = {
  allocation: DEMO_RAT_ALLOCATION,
  meetingDecides: ["jasaUsaha", "jasaModal", "lossCoverage"],
  jasaModalBasis: "yearEnd",
  unitWeights: { simpan_pinjam: "0.5" },
  lossCoverageOrder: "nextShuFirst",
} as const;

const SIMPANAN_POKOK = 100_000;
const SIMPANAN_WAJIB = 25_000;
const CASH_FLOAT_KEPT_IN_TILL = 2_000_000;
const GROSS_MARGIN_PERCENT = 20;

export interface DemoMember {
  readonly memberId: string;
  readonly name: string;
  readonly joinedOn: string;
  readonly role: "member" | "pengurus" | "pengawas";
}

export interface DemoLine {
  readonly account: string;
  readonly debit?: string;
  readonly credit?: string;
  readonly memberId?: string;
  readonly unit?: string;
  readonly counterparty?: string;
}

export interface DemoEntry {
  readonly idempotencyKey: string;
  readonly body: { readonly date: string; readonly memo: string; readonly lines: readonly DemoLine[] };
}

/** The previous year's close and RAT decision, made on their own days among the entries. */
export interface DemoYearEnd {
  readonly year: number;
  readonly closeOn: string;
  readonly decidedOn: string;
  readonly allocation: Readonly<Record<string, string>>;
}

export interface DemoHistory {
  readonly members: readonly DemoMember[];
  readonly entries: readonly DemoEntry[];
  readonly yearEnd: DemoYearEnd;
}

const GIVEN_NAMES = [
  "Siti Aminah",
  "Budi Santoso",
  "Sri Wahyuni",
  "Agus Salim",
  "Dewi Lestari",
  "Slamet Riyadi",
  "Nur Hidayah",
  "Joko Susilo",
  "Rina Marlina",
  "Bambang Hartono",
  "Endang Sulastri",
  "Hadi Purnomo",
  "Yuni Kartika",
  "Eko Prasetyo",
  "Lilik Suryani",
  "Imam Syafii",
  "Wulan Sari",
  "Rudi Hermawan",
  "Ani Rahmawati",
  "Teguh Wibowo",
  "Nining Suharti",
  "Fajar Nugroho",
  "Tutik Handayani",
  "Suparman",
  "Ratna Dewi",
  "Heri Setiawan",
  "Umi Kalsum",
  "Dedi Kurniawan",
  "Sumiati",
  "Ahmad Fauzi",
];

/** mulberry32: a tiny seeded generator, so the same seed always gives the same demo. */
const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const addDays = (isoDate: string, days: number): string => {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

const rupiah = (amount: number): string => String(Math.round(amount));
const roundTo = (amount: number, step: number): number => Math.max(step, Math.round(amount / step) * step);

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const earlier = (a: string, b: string): string => (a < b ? a : b);

/** How many members buy at the outlet on one day (their purchases are one line each). */
const SHOPPERS_PER_DAY = 3;

/** Up to SHOPPERS_PER_DAY different members who had joined by `date` (the first ten join on the first day). */
const shoppers = (
  members: readonly DemoMember[],
  date: string,
  pick: (items: readonly DemoMember[]) => DemoMember,
): DemoMember[] => {
  const joined = members.filter((candidate) => candidate.joinedOn <= date);
  const chosen = new Set<DemoMember>();
  for (let draw = 0; draw < SHOPPERS_PER_DAY && joined.length > 0; draw++) chosen.add(pick(joined));
  return [...chosen];
};

/** A day's member sales split over `count` buyers in whole 500s, the last taking what is left. */
const splitSales = (sales: number, count: number): number[] => {
  const share = Math.floor(sales / count / 500) * 500;
  return Array.from({ length: count }, (_, index) =>
    index === count - 1 ? sales - share * (count - 1) : share,
  );
};

/** The books as the simulation runs: balances it must not overdraw, open loans, and the entries so far. */
interface DemoBooks {
  cash: number;
  inventory: number;
  bank: number;
  readonly loans: Map<string, number>;
  readonly entries: DemoEntry[];
  readonly members: readonly DemoMember[];
  readonly random: () => number;
}

const post = (books: DemoBooks, key: string, date: string, memo: string, lines: DemoLine[]): void => {
  books.entries.push({ idempotencyKey: `demo-${key}`, body: { date, memo, lines } });
};

const pickFrom = <T>(books: DemoBooks, items: readonly T[]): T =>
  items[Math.floor(books.random() * items.length)] as T;

/** Simpanan pokok of the members who join today. */
const joiningDues = (books: DemoBooks, date: string): void => {
  for (const member of books.members.filter((candidate) => candidate.joinedOn === date)) {
    post(books, `pokok-${member.memberId}`, date, `Simpanan pokok ${member.name}`, [
      { account: "1101", debit: rupiah(SIMPANAN_POKOK) },
      { account: "3100", credit: rupiah(SIMPANAN_POKOK), memberId: member.memberId },
    ]);
    books.cash += SIMPANAN_POKOK;
  }
};

/** Simpanan wajib of every member, on the 5th. */
const monthlyDues = (books: DemoBooks, date: string): void => {
  for (const member of books.members.filter((candidate) => candidate.joinedOn < date)) {
    post(books, `wajib-${member.memberId}-${date.slice(0, 7)}`, date, `Simpanan wajib ${date.slice(0, 7)}`, [
      { account: "1101", debit: rupiah(SIMPANAN_WAJIB) },
      { account: "3200", credit: rupiah(SIMPANAN_WAJIB), memberId: member.memberId },
    ]);
    books.cash += SIMPANAN_WAJIB;
  }
};

/** Stock bought from the distributor on Mondays, paid from the bank (its amount drawn every day). */
const weeklyPurchase = (books: DemoBooks, date: string, weekday: number): void => {
  const purchase = roundTo(15_000_000 + books.random() * 15_000_000, 1_000);
  if (weekday !== 1 || books.bank < purchase) return;
  post(books, `beli-${date}`, date, "Pembelian sembako dari distributor", [
    { account: "1301", debit: rupiah(purchase), unit: "sembako" },
    { account: "1111", credit: rupiah(purchase), counterparty: "supplier" },
  ]);
  books.inventory += purchase;
  books.bank -= purchase;
};

/** The day's sales to members (each buyer named, for jasa usaha) and to others, at cost from stock. */
const dailySales = (books: DemoBooks, date: string): DemoMember[] => {
  const memberSales = roundTo(1_500_000 + books.random() * 2_000_000, 500);
  const nonMemberSales = roundTo(500_000 + books.random() * 1_500_000, 500);
  const buyers = shoppers(books.members, date, (items) => pickFrom(books, items));
  for (const [kind, sales, incomeAccount, costAccount, counterparty] of [
    ["anggota", memberSales, "4101", "5101", "member"],
    ["non-anggota", nonMemberSales, "4201", "5201", "non_member"],
  ] as const) {
    const cost = Math.min(books.inventory, roundTo((sales * (100 - GROSS_MARGIN_PERCENT)) / 100, 100));
    if (cost <= 0) continue;
    // Each member's purchases name the member: the SHU's jasa usaha is shared by them (docs/accounting.md).
    const revenueLines: DemoLine[] =
      counterparty === "member" && buyers.length > 0
        ? splitSales(sales, buyers.length).map((part, index) => ({
            account: incomeAccount,
            credit: rupiah(part),
            unit: "sembako",
            counterparty,
            memberId: (buyers[index] as DemoMember).memberId,
          }))
        : [{ account: incomeAccount, credit: rupiah(sales), unit: "sembako", counterparty }];
    post(books, `jual-${kind}-${date}`, date, `Penjualan sembako ${kind} harian`, [
      { account: "1101", debit: rupiah(sales), unit: "sembako" },
      ...revenueLines,
      { account: costAccount, debit: rupiah(cost), unit: "sembako", counterparty },
      { account: "1301", credit: rupiah(cost), unit: "sembako" },
    ]);
    books.cash += sales;
    books.inventory -= cost;
  }
  return buyers;
};

/** The clinic's takings on Wednesdays and Saturdays, from the day's first shopper. */
const clinicVisits = (books: DemoBooks, date: string, patient: DemoMember | undefined): void => {
  const visits = roundTo(300_000 + books.random() * 700_000, 5_000);
  post(books, `klinik-${date}`, date, "Pendapatan jasa klinik", [
    { account: "1101", debit: rupiah(visits), unit: "klinik" },
    {
      account: "4103",
      credit: rupiah(visits),
      unit: "klinik",
      counterparty: "member",
      ...(patient === undefined ? {} : { memberId: patient.memberId }),
    },
  ]);
  books.cash += visits;
};

/** On Fridays the till keeps its float and the rest goes to the bank. */
const bankDeposit = (books: DemoBooks, date: string): void => {
  if (books.cash <= CASH_FLOAT_KEPT_IN_TILL * 2) return;
  const deposit = roundTo(books.cash - CASH_FLOAT_KEPT_IN_TILL, 1_000);
  post(books, `setor-bank-${date}`, date, "Setoran kas ke bank", [
    { account: "1111", debit: rupiah(deposit) },
    { account: "1101", credit: rupiah(deposit) },
  ]);
  books.cash -= deposit;
  books.bank += deposit;
};

/** On the 10th one member borrows, when the bank can lend. */
const memberLoan = (books: DemoBooks, date: string): void => {
  if (books.bank <= 50_000_000) return;
  const borrower = pickFrom(
    books,
    books.members.filter((candidate) => candidate.joinedOn < date),
  );
  const principal = roundTo(2_000_000 + books.random() * 8_000_000, 100_000);
  post(books, `pinjaman-${borrower.memberId}-${date}`, date, `Pinjaman anggota ${borrower.name}`, [
    { account: "1201", debit: rupiah(principal), memberId: borrower.memberId, unit: "simpan_pinjam" },
    { account: "1111", credit: rupiah(principal), counterparty: "bank" },
  ]);
  books.loans.set(borrower.memberId, (books.loans.get(borrower.memberId) ?? 0) + principal);
  books.bank -= principal;
};

/** On the 20th every open loan pays an instalment and 1% interest. */
const loanInstalments = (books: DemoBooks, date: string): void => {
  for (const [memberId, outstanding] of books.loans) {
    const instalment = Math.min(outstanding, 500_000);
    const interest = roundTo(outstanding * 0.01, 100);
    post(books, `angsuran-${memberId}-${date}`, date, "Angsuran pinjaman anggota", [
      { account: "1101", debit: rupiah(instalment + interest) },
      { account: "1201", credit: rupiah(instalment), memberId, unit: "simpan_pinjam" },
      { account: "4106", credit: rupiah(interest), memberId, unit: "simpan_pinjam" },
    ]);
    books.cash += instalment + interest;
    if (outstanding - instalment === 0) books.loans.delete(memberId);
    else books.loans.set(memberId, outstanding - instalment);
  }
};

/** On the 25th the month's wages, utilities and bank interest, paid from the bank while it can. */
const monthlyExpenses = (books: DemoBooks, date: string): void => {
  for (const [key, account, memo, amount] of [
    ["gaji", "6101", "Gaji karyawan gerai", 6_000_000],
    [
      "listrik",
      "6104",
      "Listrik dan air gerai dan cold storage",
      roundTo(900_000 + books.random() * 600_000, 1_000),
    ],
    ["bunga-bank", "6110", "Bunga pinjaman Bank Himbara 6% p.a.", 2_500_000],
  ] as const) {
    if (books.bank < amount) continue;
    post(books, `${key}-${date.slice(0, 7)}`, date, memo, [
      { account, debit: rupiah(amount), unit: "kantor" },
      { account: "1111", credit: rupiah(amount), counterparty: key === "bunga-bank" ? "bank" : "other" },
    ]);
    books.bank -= amount;
  }
};

/** One day of the cooperative's business, in the order its facts happen. */
const simulateDay = (books: DemoBooks, date: string): void => {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const dayOfMonth = Number(date.slice(8, 10));
  joiningDues(books, date);
  if (weekday === 0) return; // The outlet is closed on Sundays.
  if (dayOfMonth === 5) monthlyDues(books, date);
  weeklyPurchase(books, date, weekday);
  const buyers = dailySales(books, date);
  if (weekday === 3 || weekday === 6) clinicVisits(books, date, buyers[0]);
  if (weekday === 5) bankDeposit(books, date);
  if (dayOfMonth === 10) memberLoan(books, date);
  if (dayOfMonth === 20) loanInstalments(books, date);
  if (dayOfMonth === 25) monthlyExpenses(books, date);
};

/**
 * Builds the demo history from 1 January of the year before `today` (YYYY-MM-DD) to the day before it,
 * so the previous year is whole and can be closed and decided, and this year has its own entries.
 */
export const demoHistory = (today: string, seed = 2025): DemoHistory => {
  const thisYear = Number(today.slice(0, 4));
  const start = `${thisYear - 1}-01-01`;
  const yearEnd: DemoYearEnd = {
    year: thisYear - 1,
    closeOn: earlier(`${thisYear}-${DEMO_CLOSE_MONTH_DAY}`, today),
    decidedOn: earlier(`${thisYear}-${DEMO_RAT_MONTH_DAY}`, today),
    allocation: DEMO_RAT_ALLOCATION,
  };
  const members: DemoMember[] = GIVEN_NAMES.slice(0, DEMO_MEMBER_COUNT).map((name, index) => ({
    memberId: `A-${String(index + 1).padStart(4, "0")}`,
    name,
    joinedOn: addDays(start, Math.floor(index / 10)),
    role: index < 3 ? "pengurus" : index < 5 ? "pengawas" : "member",
  }));
  const books: DemoBooks = {
    cash: 0,
    inventory: 0,
    bank: 0,
    loans: new Map(),
    entries: [],
    members,
    random: seededRandom(seed),
  };
  post(books, "modal-himbara", start, "Pencairan pinjaman Bank Himbara (PMK 49/2025)", [
    { account: "1111", debit: "500000000", counterparty: "bank" },
    { account: "2601", credit: "500000000", counterparty: "bank" },
  ]);
  books.bank += 500_000_000;
  const historyDays = daysBetween(start, today);
  for (let day = 0; day < historyDays; day++) simulateDay(books, addDays(start, day));
  return { members, entries: books.entries, yearEnd };
};
