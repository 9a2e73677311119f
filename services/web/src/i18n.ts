/**
 * Every word the application shows, in Bahasa Indonesia (the default) and English. Problems from the API
 * are shown by their stable code as a sentence a treasurer understands, never as the raw detail.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";

export type Language = "id" | "en";

const LANGUAGE_KEY = "bukubesar.language";

export const storedLanguage = (): Language =>
  globalThis.localStorage?.getItem(LANGUAGE_KEY) === "en" ? "en" : "id";

export const storeLanguage = (language: Language): void => {
  globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
};

const words = {
  appName: ["bukubesar", "bukubesar"],
  signInTitle: ["Masuk", "Sign in"],
  signInHelp: [
    "Tempelkan token yang diberikan admin koperasi. Token hanya dipakai sekali untuk membuka sesi dan tidak disimpan di perangkat ini.",
    "Paste the token the cooperative's admin gave you. It is used once to open a session and is not kept on this device.",
  ],
  token: ["Token", "Token"],
  signIn: ["Masuk", "Sign in"],
  signOut: ["Keluar", "Sign out"],
  language: ["Bahasa", "Language"],
  loading: ["Memuat…", "Loading…"],
  home: ["Beranda", "Home"],
  newEntry: ["Jurnal baru", "New entry"],
  entries: ["Jurnal", "Entries"],
  reports: ["Laporan", "Reports"],
  members: ["Anggota", "Members"],
  approvals: ["Persetujuan", "Approvals"],
  alerts: ["Peringatan", "Alerts"],
  cooperatives: ["Koperasi", "Cooperatives"],
  audit: ["Audit", "Audit"],
  cashAndBank: ["Kas dan bank", "Cash and bank"],
  pendingApproval: ["Menunggu persetujuan", "Awaiting approval"],
  latestEntries: ["Jurnal terakhir", "Latest entries"],
  openAlerts: ["Peringatan terbuka", "Open alerts"],
  nothing: ["Tidak ada.", "None."],
  date: ["Tanggal", "Date"],
  memo: ["Keterangan", "Memo"],
  account: ["Akun", "Account"],
  accountSearch: ["Cari akun (kode atau nama)", "Find an account (code or name)"],
  debit: ["Debit", "Debit"],
  credit: ["Kredit", "Credit"],
  amount: ["Jumlah", "Amount"],
  side: ["Posisi", "Side"],
  member: ["Anggota", "Member"],
  noMember: ["(tanpa anggota)", "(no member)"],
  unit: ["Unit usaha", "Business unit"],
  counterparty: ["Pihak lawan", "Counterparty"],
  none: ["(tidak ada)", "(none)"],
  addLine: ["Tambah baris", "Add line"],
  removeLine: ["Hapus baris", "Remove line"],
  line: ["Baris", "Line"],
  totalDebit: ["Total debit", "Total debit"],
  totalCredit: ["Total kredit", "Total credit"],
  difference: ["Selisih", "Difference"],
  balanced: ["Seimbang", "Balanced"],
  save: ["Simpan jurnal", "Save entry"],
  saving: ["Menyimpan…", "Saving…"],
  posted: ["Jurnal tercatat", "Entry posted"],
  proposed: ["Jurnal menunggu persetujuan", "Entry awaiting approval"],
  number: ["nomor", "number"],
  trialBalance: ["Neraca saldo", "Trial balance"],
  balanceSheet: ["Laporan posisi keuangan", "Balance sheet"],
  incomeStatement: ["Perhitungan hasil usaha", "Income statement"],
  cashFlow: ["Laporan arus kas", "Cash flow"],
  equityChanges: ["Laporan perubahan ekuitas", "Changes in equity"],
  generalLedger: ["Buku besar", "General ledger"],
  memberStatement: ["Rekening anggota", "Member statement"],
  shu: ["SHU", "SHU"],
  notes: ["Catatan atas laporan keuangan", "Notes to the statements"],
  asOf: ["Per tanggal", "As of"],
  from: ["Dari", "From"],
  to: ["Sampai", "To"],
  year: ["Tahun", "Year"],
  show: ["Tampilkan", "Show"],
  downloadPdf: ["Unduh PDF", "Download PDF"],
  downloadCsv: ["Unduh CSV", "Download CSV"],
  code: ["Kode", "Code"],
  name: ["Nama", "Name"],
  balance: ["Saldo", "Balance"],
  total: ["Jumlah", "Total"],
  approve: ["Setujui", "Approve"],
  reject: ["Tolak", "Reject"],
  reason: ["Alasan", "Reason"],
  ownProposal: [
    "Anda sendiri yang mengajukan jurnal ini; jurnal harus disetujui orang lain (empat mata).",
    "You proposed this entry yourself; someone else must approve it (four eyes).",
  ],
  approved: ["Disetujui", "Approved"],
  rejected: ["Ditolak", "Rejected"],
  proposedBy: ["Diajukan oleh", "Proposed by"],
  reverse: ["Batalkan (jurnal balik)", "Reverse"],
  reversed: ["Jurnal balik tercatat", "Reversal posted"],
  closeMonth: ["Tutup buku bulan", "Close month"],
  period: ["Bulan (YYYY-MM)", "Month (YYYY-MM)"],
  monthClosed: ["Bulan ditutup", "Month closed"],
  registerMember: ["Daftarkan anggota", "Register member"],
  memberExit: ["Anggota keluar", "Member exit"],
  accountTags: ["Tanda kendali akun", "Account control tags"],
  tag: ["Tanda", "Tag"],
  tagMemberControl: [
    "Buku pembantu anggota (tiap baris menyebut anggota)",
    "Member sub-ledger (every line names a member)",
  ],
  tagMemberBusiness: ["Usaha dengan anggota saja", "Business with members only"],
  tagNonMemberBusiness: ["Usaha dengan non-anggota saja", "Business with non-members only"],
  tagSystemAccount: [
    "Akun sistem (hanya tutup buku, RAT, penyesuaian)",
    "System account (year end, RAT, adjusting only)",
  ],
  setTag: ["Pasang tanda", "Set the tag"],
  tagSet: ["Tanda terpasang.", "The tag is set."],
  reverseExit: ["Batalkan keluarnya anggota", "Reverse a member's exit"],
  exitReversed: [
    "Keluarnya anggota dibatalkan; simpanannya kembali tercatat.",
    "The exit is reversed; their savings are back on their accounts.",
  ],
  recordExit: ["Catat anggota keluar", "Record the exit"],
  exitedOn: ["Tanggal keluar", "Left on"],
  settlementAccount: ["Dibayar dari / dicatat pada", "Paid from / owed on"],
  owedUntilPaid: [
    "2103 Utang kepada anggota keluar (dibayar nanti)",
    "2103 Owed to the leaving member (paid later)",
  ],
  exitRecorded: [
    "Anggota keluar dicatat; simpanannya sudah diselesaikan.",
    "The exit is recorded; their savings are settled.",
  ],
  exitAwaitingApproval: [
    "Penyelesaian di atas ambang persetujuan: menunggu persetujuan ketua.",
    "The settlement is above the approval threshold: awaiting approval.",
  ],
  adjustingEntry: [
    "Jurnal penyesuaian (koreksi akun sistem; selalu menunggu persetujuan)",
    "Adjusting entry (corrects system accounts; always awaits approval)",
  ],
  memberId: ["Nomor anggota", "Member number"],
  joinedOn: ["Tanggal masuk", "Joined on"],
  role: ["Peran", "Role"],
  statement: ["Rekening", "Statement"],
  severity: ["Tingkat", "Severity"],
  rule: ["Aturan", "Rule"],
  all: ["Semua", "All"],
  acknowledge: ["Tandai sudah ditangani", "Acknowledge"],
  note: ["Catatan", "Note"],
  acknowledged: ["Sudah ditangani", "Acknowledged"],
  kelurahan: ["Kelurahan/desa", "Village"],
  live: ["Langsung", "Live"],
  reconnecting: ["Menyambung ulang…", "Reconnecting…"],
  cash: ["Kas", "Cash"],
  lastPosting: ["Jurnal terakhir", "Last posting"],
  daysSince: ["Hari sejak jurnal terakhir", "Days since last posting"],
  verifyChain: ["Periksa rantai hash", "Verify the hash chain"],
  chainOk: ["Utuh", "Intact"],
  chainBroken: ["Rusak mulai peristiwa", "Broken from event"],
  events: ["Peristiwa", "Events"],
  exportLedger: ["Unduh ekspor buku besar", "Download the ledger export"],
  next: ["Berikutnya", "Next"],
  previous: ["Sebelumnya", "Previous"],
  outbox: ["Antrean kirim", "Outbox"],
  waiting: ["Menunggu dikirim", "Waiting"],
  sent: ["Terkirim", "Sent"],
  refused: ["Ditolak server", "Refused"],
  offlineSaved: [
    "Tidak ada sambungan: jurnal disimpan di perangkat dan dikirim otomatis saat sambungan kembali.",
    "No connection: the entry is kept on this device and sent when the connection returns.",
  ],
  correct: ["Perbaiki", "Correct"],
  discard: ["Buang", "Discard"],
  error: ["Terjadi kesalahan", "Something went wrong"],
  status: ["Status", "Status"],
  showMore: ["Tampilkan lebih banyak", "Show more"],
  settings: ["Pengaturan", "Settings"],
  tokens: ["Token akses", "Access tokens"],
  principals: ["Pengguna dengan token aktif", "Users with a working token"],
  issueToken: ["Buat token", "Issue a token"],
  newToken: ["Token baru", "New token"],
  tokenQr: ["Kode QR token", "Token QR code"],
  tokenShownOnce: [
    'Token ini hanya ditampilkan sekarang. Minta pengguna memindai kode QR ini saat masuk, atau salin teksnya; setelah "Selesai" token tidak dapat dilihat lagi.',
    'This token is shown only now. Have the user scan this QR code at sign-in, or copy the text; after "Done" it cannot be seen again.',
  ],
  done: ["Selesai", "Done"],
  scope: ["Cakupan", "Scope"],
  scopeHelp: [
    "Bendahara/penyetuju: kode koperasi; pengawas/auditor: awalan kode wilayah (35.74) atau *",
    "Treasurer/approver: the cooperative id; supervisor/auditor: a region prefix (35.74) or *",
  ],
  expiresOn: ["Berlaku sampai", "Expires on"],
  revoke: ["Cabut", "Revoke"],
  confirmRevoke: ["Ya, cabut token", "Yes, revoke the token"],
  cancel: ["Batal", "Cancel"],
  you: ["(Anda)", "(you)"],
  registerCooperative: ["Daftarkan koperasi", "Register a cooperative"],
  cooperativeId: ["Kode koperasi", "Cooperative id"],
  regionCode: ["Kode wilayah (Kemendagri)", "Region code (Kemendagri)"],
  chartOfAccounts: ["Bagan akun", "Chart of accounts"],
  standardChart: ["Bagan akun standar KKMP", "Standard KKMP chart"],
  emptyChart: ["Kosong", "Empty"],
  registered: ["Terdaftar", "Registered"],
  approvalThreshold: ["Batas persetujuan (Rp)", "Approval threshold (Rp)"],
  approvalThresholdHelp: [
    "Jurnal di atas jumlah ini menunggu penyetuju; kosongkan agar semua jurnal langsung tercatat.",
    "Entries above this wait for an approver; leave it empty to post every entry at once.",
  ],
  largeCashThreshold: ["Batas peringatan kas besar (Rp)", "Large cash alert threshold (Rp)"],
  businessHoursStart: ["Jam buka", "Opening time"],
  businessHoursEnd: ["Jam tutup", "Closing time"],
  timeZone: ["Zona waktu", "Time zone"],
  legalEntityNumber: ["Nomor badan hukum", "Legal entity number"],
  saveSettings: ["Simpan pengaturan", "Save settings"],
  settingsSaved: ["Pengaturan tersimpan.", "Settings saved."],
  scanQr: ["Pindai kode QR", "Scan a QR code"],
  scanHelp: ["Arahkan kamera ke kode QR dari admin.", "Point the camera at the QR code from the admin."],
  cameraView: ["Gambar kamera", "Camera view"],
  cameraRefused: [
    "Kamera tidak diizinkan. Izinkan kamera di peramban, atau tempelkan token.",
    "The camera is not allowed. Allow it in the browser, or paste the token.",
  ],
  cameraMissing: [
    "Kamera tidak tersedia di perangkat ini; tempelkan token.",
    "No camera on this device; paste the token.",
  ],
  dataAsOf: ["Data per", "Data as of"],
  offlineData: [
    "Tidak ada sambungan: yang tampil adalah data terakhir yang dimuat.",
    "No connection: this is the data last loaded.",
  ],
} as const satisfies Record<string, readonly [string, string]>;

export type WordKey = keyof typeof words;

const problems: Readonly<Record<string, readonly [string, string]>> = {
  unauthenticated: [
    "Token tidak dikenal atau sesi sudah berakhir. Silakan masuk lagi.",
    "Unknown token or the session ended. Please sign in again.",
  ],
  forbidden: ["Peran Anda tidak boleh melakukan ini.", "Your role may not do this."],
  csrf_token_invalid: [
    "Sesi perlu dimuat ulang. Muat ulang halaman lalu coba lagi.",
    "The session needs reloading. Reload the page and try again.",
  ],
  self_approval: [
    "Jurnal yang Anda ajukan sendiri harus disetujui orang lain.",
    "An entry you proposed must be approved by someone else.",
  ],
  not_found: ["Data tidak ditemukan.", "Not found."],
  validation_failed: [
    "Isian belum lengkap atau formatnya salah.",
    "A field is missing or in the wrong format.",
  ],
  invalid_amount: [
    "Jumlah tidak sah. Tulis seperti 50.000 atau 50.000,50.",
    "Invalid amount. Write it like 50.000 or 50.000,50.",
  ],
  invalid_date: ["Tanggal tidak sah.", "Invalid date."],
  unbalanced_entry: ["Debit dan kredit belum seimbang.", "Debits and credits do not balance."],
  too_few_lines: ["Jurnal perlu paling sedikit dua baris.", "An entry needs at least two lines."],
  too_many_lines: ["Terlalu banyak baris.", "Too many lines."],
  debit_and_credit_on_one_line: [
    "Satu baris hanya boleh debit atau kredit.",
    "A line is either debit or credit.",
  ],
  unknown_account: ["Akun tidak ada di bagan akun.", "The account is not in the chart."],
  account_closed: ["Akun sudah ditutup.", "The account is closed."],
  unknown_member: ["Anggota belum terdaftar.", "The member is not registered."],
  member_required: [
    "Akun ini buku pembantu anggota: isi nomor anggota.",
    "This account is a member sub-ledger: give the member number.",
  ],
  member_business_mismatch: [
    "Akun ini khusus anggota atau khusus non-anggota; tanda baris ini berlawanan.",
    "This account is for members only or non-members only; this line says the opposite.",
  ],
  member_counterparty_conflict: [
    "Baris yang menyebut anggota tidak boleh bertanda non-anggota.",
    "A line naming a member cannot say non-member.",
  ],
  member_not_active: [
    "Anggota belum masuk atau sudah keluar pada tanggal ini.",
    "The member had not joined yet, or has left.",
  ],
  simpanan_pokok_locked: [
    "Simpanan pokok hanya dikembalikan saat anggota keluar.",
    "Simpanan pokok is returned only when the member leaves.",
  ],
  member_exited: ["Anggota ini sudah keluar.", "This member has already left."],
  member_loan_outstanding: [
    "Anggota masih punya pinjaman; lunasi dulu sebelum keluar.",
    "The member still owes a loan; it is repaid before they leave.",
  ],
  approval_pending: ["Masih menunggu persetujuan.", "Still awaiting approval."],
  member_not_exited: ["Anggota ini belum keluar.", "This member has not left."],
  exit_settlement_paid: [
    "Sebagian penyelesaian keluar sudah dibayar; batalkan pembayarannya dulu.",
    "Part of the exit's settlement was paid; reverse that payment first.",
  ],
  exit_settlement_changed: [
    "Saldo anggota berubah sejak permintaan keluar; tolak dan catat lagi.",
    "The member's balances changed since the exit was asked for; reject it and record it again.",
  ],
  account_tag_locked: [
    "Tanda kendali akun yang sudah dipasang tidak dapat dicabut atau diubah.",
    "A control tag once set on an account cannot be removed or changed.",
  ],
  account_history_conflicts: [
    "Riwayat akun ini bertentangan dengan tanda tersebut.",
    "This account's history contradicts that tag.",
  ],
  system_account: [
    "Akun ini hanya bergerak lewat tutup buku, keputusan RAT atau jurnal penyesuaian.",
    "This account moves only through the year end, the RAT decision or an adjusting entry.",
  ],
  period_closed: [
    "Bulan ini sudah ditutup bukunya; pilih tanggal lain atau minta admin membukanya.",
    "This month is closed; choose another date or ask the admin to reopen it.",
  ],
  insufficient_funds: [
    "Saldo kas/bank tidak cukup untuk pengeluaran ini.",
    "Not enough cash or bank balance for this payment.",
  ],
  already_reversed: ["Jurnal ini sudah dibatalkan.", "This entry was already reversed."],
  cannot_reverse_reversal: ["Jurnal balik tidak dapat dibatalkan lagi.", "A reversal cannot be reversed."],
  not_pending: ["Jurnal ini tidak lagi menunggu persetujuan.", "This entry is no longer awaiting approval."],
  member_exists: ["Nomor anggota sudah dipakai.", "That member number is taken."],
  idempotency_key_reused: [
    "Jurnal ini sudah dikirim dengan isi berbeda.",
    "This entry was already sent with different contents.",
  ],
  rate_limited: ["Terlalu banyak permintaan; tunggu sebentar.", "Too many requests; wait a moment."],
  store_unavailable: ["Server sedang sibuk; dicoba lagi nanti.", "The server is busy; it will be retried."],
  offline: ["Tidak ada sambungan ke server.", "No connection to the server."],
  cooperative_exists: ["Kode koperasi sudah dipakai.", "That cooperative id is taken."],
};

export const translate = (language: Language, key: WordKey): string => words[key][language === "id" ? 0 : 1];

/** A sentence for an API problem code, falling back to the general one. */
export const problemSentence = (language: Language, code: string): string => {
  const sentence = problems[code];
  if (sentence !== undefined) return sentence[language === "id" ? 0 : 1];
  return `${translate(language, "error")} (${code}).`;
};

export const LanguageContext = createContext<Language>("id");

/** The translator of the current language, for components. */
export const useWords = () => {
  const language = useContext(LanguageContext);
  return { language, t: (key: WordKey) => translate(language, key) };
};
