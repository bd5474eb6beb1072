/**
 * Login costs one listing: load() lists the user's whole prefix once (heads under i/root/, METADATA and the
 * message objects under m/ in one pass) and leaves the message keys here for the recovery that
 * runs right after it (core/storage/recovery.ts), instead of recovery listing m/ again. Keyed by
 * the loaded UserIndex and taken once, so a later recovery never reuses a stale listing.
 */
const messageListings = takenOnce();

export function rememberMessageListing(index: object, messageKeys: string[]): void {
  messageListings.remember(index, messageKeys);
}

/** The message keys listed at load, once; undefined when this index was not loaded that way. */
export function takeMessageListing(index: object): string[] | undefined {
  return messageListings.take(index);
}

/**
 * The same listing's METADATA object keys (core/storage/metadata-store.ts), for the user's
 * MetadataStore when a METADATA/ACL look-up (SELECT checks the vault attribute) first needs them:
 * no second LIST per login. Taken once, like the message keys.
 */
const metadataListings = takenOnce();

export function rememberMetadataListing(index: object, metadataKeys: string[]): void {
  metadataListings.remember(index, metadataKeys);
}

export function takeMetadataListing(index: object): string[] | undefined {
  return metadataListings.take(index);
}

/** Keys kept per loaded index until taken; a take removes them. */
function takenOnce() {
  const kept = new WeakMap<object, string[]>();
  return {
    remember(index: object, keys: string[]): void {
      kept.set(index, keys);
    },
    take(index: object): string[] | undefined {
      const keys = kept.get(index);
      kept.delete(index);
      return keys;
    },
  };
}
