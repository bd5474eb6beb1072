/**
 * Maps the wire ImapReceiver onto the session's RequestSource. A class, not an object of
 * arrow functions: one per connection, and methods on the prototype cost an idle connection
 * nothing (each closure under tsx also carries a `name` property array, ~300 bytes).
 */
import type { Limits } from '../../core/config/schema.ts';
import type { RequestSource, SourceEvent } from './request-source.ts';
import { ImapReceiver } from './wire/receiver.ts';

class WireSource implements RequestSource {
  private readonly receiver: ImapReceiver;

  constructor(limits: Limits, authenticated: boolean) {
    this.receiver = new ImapReceiver(limits);
    this.receiver.setAuthenticated(authenticated);
  }

  push(chunk: Buffer): void {
    this.receiver.push(chunk);
  }

  setRawLineMode(on: boolean): void {
    this.receiver.setRawLineMode(on);
  }

  setAuthenticated(on: boolean): void {
    this.receiver.setAuthenticated(on);
  }

  setUtf8Accept(on: boolean): void {
    this.receiver.setUtf8Accept(on);
  }

  next(): SourceEvent {
    const ev = this.receiver.next();
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
  }
}

export function createWireSource(limits: Limits, authenticated: boolean): RequestSource {
  return new WireSource(limits, authenticated);
}
