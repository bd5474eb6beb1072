/** A tiny line-echo protocol for listener tests (not a test suite itself). */
import type { ProtocolSession, SessionFactory, Transport } from '../../protocols/net/types.ts';

export const echoFactory: SessionFactory = (t: Transport): ProtocolSession => {
  let buf = '';
  void t.write(`HELLO secure=${t.secure} loopback=${t.loopback} tls=${t.tlsAvailable}\r\n`);
  async function command(line: string): Promise<boolean> {
    if (line === 'STARTTLS' || line === 'STARTTLS-SLOW') {
      t.pause();
      buf = ''; // what followed the command in this chunk is discarded, as a real session must
      // SLOW: give bytes the client sends right after the command time to reach our socket buffer.
      if (line === 'STARTTLS-SLOW') {
        await t.write('PAUSED\r\n');
        await new Promise((r) => setTimeout(r, 100));
      }
      await t.write('OK begin TLS\r\n');
      await t.startTls();
      t.resume();
      return false;
    }
    if (line === 'QUIT') {
      await t.write('BYE\r\n');
      await t.close();
      return false;
    }
    if (line.startsWith('BIG ')) {
      const n = Number(line.slice(4));
      t.pause();
      await t.write(Buffer.alloc(n, 0x61));
      await t.write('\r\nBIG DONE\r\n');
      t.resume();
      return true;
    }
    await t.write(`ECHO ${line} secure=${t.secure}\r\n`);
    return true;
  }
  let chain = Promise.resolve();
  return {
    onData(chunk) {
      buf += chunk.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        chain = chain
          .then(async () => {
            await command(line);
          })
          .catch(() => t.close());
        if (line.startsWith('STARTTLS') || line === 'QUIT') break;
      }
    },
    onClose() {},
    onIdleTimeout() {
      void t.write('IDLE TIMEOUT\r\n').then(() => t.close());
    },
    async onShutdown() {
      await t.write('SHUTDOWN\r\n');
      await t.close();
    },
  };
};
