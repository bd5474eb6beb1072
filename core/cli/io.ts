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

/** One line from stdin (a prompt goes to stderr when stdin is a terminal). Empty at EOF. */
export async function readLineFromStdin(prompt: string): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) process.stderr.write(prompt);
  const rl = createInterface({ input, terminal: false });
  try {
    for await (const line of rl) return line.replace(/\r$/, '');
    return '';
  } finally {
    rl.close();
  }
}
