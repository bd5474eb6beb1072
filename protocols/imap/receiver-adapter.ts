/** Maps the wire ImapReceiver onto the session's RequestSource. */
import type { Limits } from '../../core/config/schema.ts';
import type { RequestSource, SourceEvent } from './request-source.ts';
import { ImapReceiver } from './wire/receiver.ts';

export function createWireSource(limits: Limits, authenticated: boolean): RequestSource {
  const receiver = new ImapReceiver(limits);
  receiver.setAuthenticated(authenticated);
  return {
    push: (chunk) => receiver.push(chunk),
    setRawLineMode: (on) => receiver.setRawLineMode(on),
    setAuthenticated: (on) => receiver.setAuthenticated(on),
    setUtf8Accept: (on) => receiver.setUtf8Accept(on),
    next(): SourceEvent {
      const ev = receiver.next();
      switch (ev.kind) {
        case 'request':
          return { type: 'request', request: { tag: ev.tag, command: ev.command } };
        case 'line':
          return { type: 'line', line: ev.text };
        case 'error':
          return { type: 'error', tag: ev.tag, response: ev.response, text: ev.text, code: ev.code, fatal: ev.fatal };
        case 'need-continuation':
          return { type: 'need-continuation' };
        default:
          return { type: 'need-more' };
      }
    },
  };
}
