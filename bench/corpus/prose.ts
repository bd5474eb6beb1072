/**
 * Real prose for the corpus, so that FTS and compression see real words: the licence texts Debian
 * ships in /usr/share/common-licenses (the same on every Debian machine), read in name order.
 * A few built-in sentences cover the non-ASCII charsets the machine's text lacks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './rng.ts';

const LICENSES = '/usr/share/common-licenses';

/** Used when the machine has no licence texts (not Debian): still deterministic. */
const FALLBACK =
  'The mail server stores every message once and refers to it from each mailbox that holds it. ' +
  'When a client asks for a message the server reads it from the object store, checks the cache ' +
  'and sends the requested parts. Users expect their folders to load quickly and their searches ' +
  'to find words in bodies and attachments alike. Operators expect the service to survive the loss ' +
  'of a machine without losing a single acknowledged message.';

export const LATIN1_SENTENCES = [
  'Le café de la gare ouvre à sept heures et ferme après le dernier train.',
  'Für die Sitzung am Dienstag bräuchten wir noch die Unterlagen über die Größe der Räume.',
  'La réunion est reportée à jeudi ; merci de prévenir les équipes concernées.',
  'El niño pidió más información sobre la señal débil en la montaña.',
  'Vi ses på mötet i Göteborg nästa vecka, om tåget går i tid.',
  'Les données sont déjà sauvegardées, ne vous inquiétez pas.',
];

export const SHIFT_JIS_SENTENCES = [
  '明日の会議は午後三時から始まります。資料を事前に確認してください。',
  'サーバーの移行作業は週末に予定されています。ご不便をおかけします。',
  'メールボックスの容量が上限に近づいています。不要なメッセージを削除してください。',
  '先日のお問い合わせについて、担当者から改めてご連絡いたします。',
  '新しい検索機能により、添付ファイルの中の言葉も見つけられるようになりました。',
];

export const GB2312_SENTENCES = [
  '明天的会议改在下午三点，请大家提前准备好材料。',
  '服务器迁移工作安排在周末进行，届时邮件服务可能短暂中断。',
  '您的邮箱容量即将用完，请及时删除不需要的邮件。',
  '关于上次的咨询，我们的工作人员会尽快与您联系。',
  '新的搜索功能可以找到附件中的文字。',
];

export const UTF8_EXTRAS = ['naïve', 'Zürich', 'São Paulo', 'Ελληνικά', 'Привет', '東京', '✓ done', 'Łódź', '🙂'];

export class Prose {
  private readonly text: string;

  constructor(text?: string) {
    this.text = text ?? loadMachineProse();
  }

  /** About `chars` characters of consecutive prose, starting and ending on word boundaries. */
  take(rng: Rng, chars: number): string {
    const t = this.text;
    if (chars >= t.length) return t.repeat(Math.ceil(chars / t.length)).slice(0, chars);
    let start = rng.int(0, t.length - chars - 1);
    const space = t.indexOf(' ', start);
    if (space >= 0 && space - start < 40) start = space + 1;
    let end = Math.min(t.length, start + chars);
    const lastSpace = t.lastIndexOf(' ', end);
    if (lastSpace > start + chars / 2) end = lastSpace;
    return t.slice(start, end);
  }

  /** A short phrase for subjects. */
  phrase(rng: Rng, words: number): string {
    const s = this.take(rng, words * 9).split(' ').slice(0, words).join(' ');
    return s.replace(/[^A-Za-z0-9 ,'-]/g, '').trim() || 'Hello';
  }
}

/** Licence texts joined, whitespace collapsed, printable ASCII only. */
export function loadMachineProse(dir = LICENSES): string {
  const parts: string[] = [];
  try {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (!st.isFile() || st.size > 2_000_000) continue;
      parts.push(readFileSync(path, 'latin1'));
    }
  } catch {
    // not Debian: fall back below
  }
  const joined = parts.join(' ').replace(/[^\x20-\x7e]+/g, ' ').replace(/\s+/g, ' ').trim();
  return joined.length > 10_000 ? joined : FALLBACK.repeat(20);
}

/** Wrap text at `width` columns, joining lines with CRLF (mail lines must stay under 998). */
export function wrap(text: string, width = 72): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (line.length > 0 && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
    // A "word" longer than a line (should not happen in prose) is cut.
    while (line.length > 900) {
      out.push(line.slice(0, 900));
      line = line.slice(900);
    }
  }
  if (line.length > 0) out.push(line);
  return out.join('\r\n');
}
