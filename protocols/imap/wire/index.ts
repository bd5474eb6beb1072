/**
 * The IMAP wire layer's public API: receiver (bytes -> events), typed commands, response
 * serializers and modified UTF-7. Sessions import from here.
 */
export type * from './commands.ts';
export { ImapReceiver, type ReceiverEvent, type ReceiverLimits } from './receiver.ts';
export { parseCommand, extractTag, type ParseOptions, type ParseResult } from './parse-command.ts';
export { encodeMutf7, decodeMutf7 } from './mutf7.ts';
export { parseSeqSet, decodeMailbox } from './parse-args.ts';
export {
  atom,
  serializeValue,
  serializeString,
  serializeMailbox,
  flagList,
  tagged,
  untagged,
  untaggedStatus,
  continuation,
  fetchResponse,
  formatDateTime,
  compactSeqSet,
  formatSeqSet,
  MAX_QUOTED_LENGTH,
  type WireAtom,
  type WireValue,
  type SerializeOptions,
  type TaggedStatus,
  type UntaggedStatus,
} from './serialize.ts';
