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

/**
 * Builds the demo history from 1 January of the year before `today` (YYYY-MM-DD) to the day before it,
 * so the previous year is whole and can be closed and decided, and this year has its own entries.
 */
export const demoHistory = (today: string, seed = 2025): DemoHistory => {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const thisYear = Number(today.slice(0, 4));
  const start = `${thisYear - 1}-01-01`;
  const historyDays = daysBetween(start, today);
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
  const entries: DemoEntry[] = [];
  let cash = 0;
  let inventory = 0;
  let bank = 0;
  const loans = new Map<string, number>();
  const post = (key: string, date: string, memo: string, lines: DemoLine[]) =>
    entries.push({ idempotencyKey: `demo-${key}`, body: { date, memo, lines } });

  post("modal-himbara", start, "Pencairan pinjaman Bank Himbara (PMK 49/2025)", [
    { account: "1111", debit: "500000000", counterparty: "bank" },
    { account: "2601", credit: "500000000", counterparty: "bank" },
  ]);
  bank += 500_000_000;

  for (let day = 0; day < historyDays; day++) {
    const date = addDays(start, day);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const dayOfMonth = Number(date.slice(8, 10));
    for (const member of members.filter((candidate) => candidate.joinedOn === date)) {
      post(`pokok-${member.memberId}`, date, `Simpanan pokok ${member.name}`, [
        { account: "1101", debit: rupiah(SIMPANAN_POKOK) },
        { account: "3100", credit: rupiah(SIMPANAN_POKOK), memberId: member.memberId },
      ]);
      cash += SIMPANAN_POKOK;
    }
    if (weekday === 0) continue; // The outlet is closed on Sundays.
    if (dayOfMonth === 5) {
      for (const member of members.filter((candidate) => candidate.joinedOn < date)) {
        post(`wajib-${member.memberId}-${date.slice(0, 7)}`, date, `Simpanan wajib ${date.slice(0, 7)}`, [
          { account: "1101", debit: rupiah(SIMPANAN_WAJIB) },
          { account: "3200", credit: rupiah(SIMPANAN_WAJIB), memberId: member.memberId },
        ]);
        cash += SIMPANAN_WAJIB;
      }
    }
    const purchase = roundTo(15_000_000 + random() * 15_000_000, 1_000);
    if (weekday === 1 && bank >= purchase) {
      post(`beli-${date}`, date, "Pembelian sembako dari distributor", [
        { account: "1301", debit: rupiah(purchase), unit: "sembako" },
        { account: "1111", credit: rupiah(purchase), counterparty: "supplier" },
      ]);
      inventory += purchase;
      bank -= purchase;
    }
    const memberSales = roundTo(1_500_000 + random() * 2_000_000, 500);
    const nonMemberSales = roundTo(500_000 + random() * 1_500_000, 500);
    const buyers = shoppers(members, date, pick);
    for (const [kind, sales, incomeAccount, costAccount, counterparty] of [
      ["anggota", memberSales, "4101", "5101", "member"],
      ["non-anggota", nonMemberSales, "4201", "5201", "non_member"],
    ] as const) {
      const cost = Math.min(inventory, roundTo((sales * (100 - GROSS_MARGIN_PERCENT)) / 100, 100));
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
      post(`jual-${kind}-${date}`, date, `Penjualan sembako ${kind} harian`, [
        { account: "1101", debit: rupiah(sales), unit: "sembako" },
        ...revenueLines,
        { account: costAccount, debit: rupiah(cost), unit: "sembako", counterparty },
        { account: "1301", credit: rupiah(cost), unit: "sembako" },
      ]);
      cash += sales;
      inventory -= cost;
    }
    if (weekday === 3 || weekday === 6) {
      const visits = roundTo(300_000 + random() * 700_000, 5_000);
      const patient = buyers[0];
      post(`klinik-${date}`, date, "Pendapatan jasa klinik", [
        { account: "1101", debit: rupiah(visits), unit: "klinik" },
        {
          account: "4103",
          credit: rupiah(visits),
          unit: "klinik",
          counterparty: "member",
          ...(patient === undefined ? {} : { memberId: patient.memberId }),
        },
      ]);
      cash += visits;
    }
    if (weekday === 5 && cash > CASH_FLOAT_KEPT_IN_TILL * 2) {
      const deposit = roundTo(cash - CASH_FLOAT_KEPT_IN_TILL, 1_000);
      post(`setor-bank-${date}`, date, "Setoran kas ke bank", [
        { account: "1111", debit: rupiah(deposit) },
        { account: "1101", credit: rupiah(deposit) },
      ]);
      cash -= deposit;
      bank += deposit;
    }
    if (dayOfMonth === 10 && bank > 50_000_000) {
      const borrower = pick(members.filter((candidate) => candidate.joinedOn < date));
      const principal = roundTo(2_000_000 + random() * 8_000_000, 100_000);
      post(`pinjaman-${borrower.memberId}-${date}`, date, `Pinjaman anggota ${borrower.name}`, [
        { account: "1201", debit: rupiah(principal), memberId: borrower.memberId, unit: "simpan_pinjam" },
        { account: "1111", credit: rupiah(principal), counterparty: "bank" },
      ]);
      loans.set(borrower.memberId, (loans.get(borrower.memberId) ?? 0) + principal);
      bank -= principal;
    }
    if (dayOfMonth === 20) {
      for (const [memberId, outstanding] of loans) {
        const instalment = Math.min(outstanding, 500_000);
        const interest = roundTo(outstanding * 0.01, 100);
        post(`angsuran-${memberId}-${date}`, date, "Angsuran pinjaman anggota", [
          { account: "1101", debit: rupiah(instalment + interest) },
          { account: "1201", credit: rupiah(instalment), memberId, unit: "simpan_pinjam" },
          { account: "4106", credit: rupiah(interest), memberId, unit: "simpan_pinjam" },
        ]);
        cash += instalment + interest;
        if (outstanding - instalment === 0) loans.delete(memberId);
        else loans.set(memberId, outstanding - instalment);
      }
    }
    if (dayOfMonth === 25) {
      for (const [key, account, memo, amount] of [
        ["gaji", "6101", "Gaji karyawan gerai", 6_000_000],
        [
          "listrik",
          "6104",
          "Listrik dan air gerai dan cold storage",
          roundTo(900_000 + random() * 600_000, 1_000),
        ],
        ["bunga-bank", "6110", "Bunga pinjaman Bank Himbara 6% p.a.", 2_500_000],
      ] as const) {
        if (bank < amount) continue;
        post(`${key}-${date.slice(0, 7)}`, date, memo, [
          { account, debit: rupiah(amount), unit: "kantor" },
          { account: "1111", credit: rupiah(amount), counterparty: key === "bunga-bank" ? "bank" : "other" },
        ]);
        bank -= amount;
      }
    }
  }
  return { members, entries, yearEnd };
};
