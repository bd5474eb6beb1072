/** Small I/O helpers for CLI commands. */
import { createInterface } from 'node:readline';

/** Thrown by commands to end with a message and an exit code (1 = failed, 2 = usage). */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

/** Read a line from a terminal without echoing it (passwords). */
function readHiddenFromTty(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new CliExit(130, 'interrupted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
  });
}

/** One line from stdin; on a terminal the prompt goes to stderr and typing is not echoed. Empty at EOF. */
export async function readLineFromStdin(prompt: string): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) return readHiddenFromTty(prompt);
  const rl = createInterface({ input, terminal: false });
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
    return '';
  } finally {
    rl.close();
  }
}
