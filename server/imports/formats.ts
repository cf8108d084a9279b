import type { CsvRecord } from './csv.js';

export const IMPORT_FORMATS = ['smile', 'loyaltylion', 'yotpo', 'generic'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_NAMES: Record<ImportFormat, string> = { smile: 'Smile.io', loyaltylion: 'LoyaltyLion', yotpo: 'Yotpo', generic: 'CSV' };

type Field = 'customerId' | 'email' | 'balance' | 'lifetime' | 'spent' | 'tier' | 'change' | 'date' | 'description';

/**
 * Column headers each source writes, compared lowercased with everything but letters and digits
 * removed ("Points Balance" = "points_balance" = "pointsbalance"). Where each comes from:
 * docs/imports.md. History columns are read in every format.
 */
const HISTORY: Partial<Record<Field, string[]>> = {
  change: ['pointschange', 'change', 'pointsdelta', 'amount'],
  date: ['date', 'createdat', 'historydate', 'occurredat'],
  description: ['description', 'reason', 'activity', 'note'],
};
const COLUMNS: Record<ImportFormat, Partial<Record<Field, string[]>>> = {
  smile: {
    customerId: ['customerid', 'externalid'],
    email: ['email'],
    balance: ['points', 'pointsbalance'],
    tier: ['viptier', 'viptiername'],
    ...HISTORY,
  },
  loyaltylion: {
    customerId: ['merchantid', 'customerid'],
    email: ['email'],
    balance: ['pointsapproved'],
    spent: ['pointsspent'],
    lifetime: ['lifetimepoints'],
    tier: ['tier', 'tiername', 'currenttier', 'loyaltytier'],
    ...HISTORY,
  },
  yotpo: {
    customerId: ['customerid', 'platformid'],
    email: ['email'],
    balance: ['pointsbalance', 'pointbalance'],
    spent: ['pointsspent'],
    lifetime: ['pointsearned'],
    tier: ['viptier', 'viptiername', 'vipstatus'],
    ...HISTORY,
  },
  generic: {
    customerId: ['customerid', 'id', 'shopifycustomerid', 'merchantid'],
    email: ['email', 'emailaddress'],
    balance: ['balance', 'points', 'pointsbalance', 'pointbalance', 'pointsapproved'],
    lifetime: ['lifetimepoints', 'lifetime', 'pointsearned'],
    spent: ['pointsspent'],
    tier: ['tier', 'viptier', 'tiername'],
    ...HISTORY,
  },
};

export interface RowError {
  /** The line in the file (the header is line 1). */
  row: number;
  column: string;
  message: string;
}

export interface ImportRow {
  row: number;
  customerId?: string;
  email?: string;
  balance?: number;
  lifetime?: number;
  tier?: string;
  history?: { change: number; date: string; description: string };
}

export interface ParsedFile {
  rows: ImportRow[];
  errors: RowError[];
  /** A problem with the file as a whole (no identity or points column): nothing can be imported. */
  fileError?: string;
}

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whole points, as written by a person or a spreadsheet; the message says how to fix anything else. */
function points(value: string): number | string {
  const text = value.trim();
  if (/^-?\d+$/.test(text)) {
    const parsed = Number(text);
    return Number.isSafeInteger(parsed) && Math.abs(parsed) <= 1_000_000_000 ? parsed : 'is too large';
  }
  if (/^-?\d{1,3}(,\d{3})+$/.test(text)) return `write ${text.replace(/,/g, '')} without thousands separators`;
  if (/^-?\d*\.\d+$/.test(text)) return 'must be a whole number of points';
  return 'must be a whole number of points';
}

/** A Shopify customer id as digits, from digits or a `gid://shopify/Customer/N`. */
function customerIdOf(value: string): string | undefined {
  const text = value.trim();
  const match = /^(?:gid:\/\/shopify\/Customer\/)?(\d{1,20})$/.exec(text);
  return match?.[1];
}

/** Reads the file's rows under the format's column names; each problem names its line and column. */
export function readImportFile(format: ImportFormat, records: CsvRecord[]): ParsedFile {
  const [header, ...data] = records;
  if (!header) return { rows: [], errors: [], fileError: 'The file is empty' };
  const aliases = COLUMNS[format];
  const columnOf = new Map<Field, { index: number; name: string }>();
  header.cells.forEach((name, index) => {
    const key = normalise(name);
    for (const [field, names] of Object.entries(aliases) as Array<[Field, string[]]>) {
      if (names.includes(key) && !columnOf.has(field)) columnOf.set(field, { index, name: name.trim() });
    }
  });
  if (!columnOf.has('email') && !columnOf.has('customerId')) {
    return { rows: [], errors: [], fileError: `No customer column: the file needs ${aliasText(aliases.email)} or ${aliasText(aliases.customerId)}` };
  }
  if (!columnOf.has('balance') && !columnOf.has('change')) {
    return {
      rows: [],
      errors: [],
      fileError: `No points column: the file needs ${aliasText(aliases.balance)} (a balance) or ${aliasText(aliases.change)} (history)`,
    };
  }

  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  for (const record of data) {
    const cell = (field: Field) => {
      const column = columnOf.get(field);
      return column ? (record.cells[column.index] ?? '').trim() : '';
    };
    const columnName = (field: Field) => columnOf.get(field)?.name ?? field;
    const rowErrors: RowError[] = [];
    const fail = (field: Field, message: string) => rowErrors.push({ row: record.line, column: columnName(field), message });
    const number = (field: Field): number | undefined => {
      const text = cell(field);
      if (text === '') return undefined;
      const parsed = points(text);
      if (typeof parsed === 'string') fail(field, `"${text}" ${parsed}`);
      return typeof parsed === 'number' ? parsed : undefined;
    };

    const row: ImportRow = { row: record.line };
    const idText = cell('customerId');
    if (idText !== '') {
      const id = customerIdOf(idText);
      if (id) row.customerId = id;
      else fail('customerId', `"${idText}" is not a Shopify customer id (digits, or gid://shopify/Customer/N)`);
    }
    const email = cell('email').toLowerCase();
    if (email !== '') {
      if (/^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/.test(email)) row.email = email;
      else fail('email', `"${cell('email')}" is not an email address`);
    }
    if (!row.customerId && !row.email && rowErrors.length === 0)
      fail(columnOf.has('email') ? 'email' : 'customerId', 'is empty: the row names no customer');

    const change = number('change');
    const balance = number('balance');
    const lifetime = number('lifetime');
    const spent = number('spent');
    if (change !== undefined) {
      row.history = { change, date: cell('date'), description: cell('description') };
    } else if (balance !== undefined) {
      if (balance < 0) fail('balance', `${balance} is negative: a balance starts at 0`);
      row.balance = balance;
      const derived = lifetime ?? (spent !== undefined ? balance + spent : undefined);
      if (derived !== undefined) {
        if (derived < balance) fail('lifetime', `lifetime points (${derived}) are fewer than the balance (${balance})`);
        row.lifetime = derived;
      }
    } else if (rowErrors.length === 0) {
      fail(columnOf.has('balance') ? 'balance' : 'change', 'is empty: write the points (0 for none)');
    }
    const tier = cell('tier');
    if (tier !== '') row.tier = tier;
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else rows.push(row);
  }
  return { rows, errors };
}

function aliasText(names: string[] | undefined): string {
  return (names ?? []).map((name) => `"${name}"`).join(' or ');
}
