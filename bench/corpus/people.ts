/** Names, domains, mailers and dates for realistic header sets. */
import type { Rng } from './rng.ts';

const FIRST = ['Alice', 'Bob', 'Carol', 'David', 'Erika', 'François', 'Günter', 'Hana', 'Ivan', 'Jun', 'Karin', 'Luis', 'Maria', 'Nils', 'Olga', 'Pedro', 'Qing', 'Rosa', 'Sven', 'Taro', 'Ursula', 'Wei', 'Yuki', 'Zoë'];
const LAST = ['Martin', 'Schmidt', 'Tanaka', 'Wang', 'García', 'Novak', 'Rossi', 'Dubois', 'Larsen', 'Kowalski', 'Smith', 'Müller', 'Sato', 'Li', 'Costa', 'Nguyen'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.de', 'corp.example.jp', 'isp.example.fr', 'lists.example.org'];
const MAILERS = [
  ['User-Agent', 'Mozilla Thunderbird 115.6.0'],
  ['User-Agent', 'Roundcube Webmail/1.6.5'],
  ['X-Mailer', 'Apple Mail (2.3774.300.61.1.2)'],
  ['X-Mailer', 'Microsoft Outlook 16.0'],
  ['User-Agent', 'Mutt/2.2.12 (2023-09-09)'],
  ['X-Mailer', 'PHPMailer 6.9.1 (https://github.com/PHPMailer/PHPMailer)'],
] as const;

export interface Person {
  name: string;
  address: string;
}

export function person(rng: Rng): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const local = `${first}.${last}`
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
  return { name: `${first} ${last}`, address: `${local}@${rng.pick(DOMAINS)}` };
}

export function mailer(rng: Rng): readonly [string, string] {
  return rng.pick(MAILERS);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date in a fixed zone offset (minutes east of UTC), computed without the local zone. */
export function rfc5322Date(utcMs: number, offsetMin: number): string {
  const d = new Date(utcMs + offsetMin * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return (
    `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`
  );
}

export function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}
