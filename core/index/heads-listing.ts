/**
 * Login costs one listing: load() lists the user's whole prefix once (heads under i/root/, METADATA and the
 * message objects under m/ in one pass) and leaves the message keys here for the recovery that
 * runs right after it (core/storage/recovery.ts), instead of recovery listing m/ again. Keyed by
 * the loaded UserIndex and taken once, so a later recovery never reuses a stale listing.
 */
const listings = new WeakMap<object, string[]>();

export function rememberMessageListing(index: object, messageKeys: string[]): void {
  listings.set(index, messageKeys);
}

/** The message keys listed at load, once; undefined when this index was not loaded that way. */
export function takeMessageListing(index: object): string[] | undefined {
  const keys = listings.get(index);
  listings.delete(index);
  return keys;
}

/**
 * The same listing's METADATA object keys (core/storage/metadata-store.ts), for the user's
 * MetadataStore when a METADATA/ACL look-up (SELECT checks the vault attribute) first needs them:
 * no second LIST per login. Taken once, like the message keys.
 */
const metadataListings = new WeakMap<object, string[]>();

export function rememberMetadataListing(index: object, metadataKeys: string[]): void {
  metadataListings.set(index, metadataKeys);
}

export function takeMetadataListing(index: object): string[] | undefined {
  const keys = metadataListings.get(index);
  metadataListings.delete(index);
  return keys;
}
