/**
 * COMPRESS (RFC 4978). The tagged OK goes out uncompressed; from the byte after its CRLF both
 * directions are raw DEFLATE (protocols/imap/compress.ts). A barrier: nothing the client sent
 * after the command is parsed before the switch; such bytes were sent before the client saw
 * the OK, so they are plain text and stay in the receiver to be read as such.
 */
import { DeflateTransport } from '../compress.ts';
import { NEVER_SEQ, bad, no, type CommandHandler } from '../types.ts';

export const compress: CommandHandler<'COMPRESS'> = {
  name: 'COMPRESS',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx, cmd) {
    if (cmd.mechanism !== 'DEFLATE') return bad('Unsupported compression mechanism.');
    if (ctx.transport instanceof DeflateTransport) return no('Compression is already active.', 'COMPRESSIONACTIVE');
    return {
      status: 'OK',
      text: 'DEFLATE active.',
      after: async () => {
        ctx.wrapTransport(
          (inner, deliver) =>
            new DeflateTransport(inner, deliver, (err) => {
              ctx.log.info({ err }, 'imap: corrupt compressed input');
              void ctx.closeConnection();
            }),
        );
      },
    };
  },
};
