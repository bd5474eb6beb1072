/**
 * The object store every driver implements (fs, memory; s3 and sproxyd later).
 * Objects are immutable: `put` never overwrites (EXISTS if the key is taken), which is what
 * makes two writers after a split brain harmless. `put` resolves only once the object is durable.
 */
export interface ObjectInfo {
  key: string;
  size: number;
  /** Small string metadata stored with the object (x-amz-meta-* on S3). */
  meta: Record<string, string>;
}

export interface ObjectStore {
  readonly driver: string;
  /** Store `data` under `key`; fails with StorageError EXISTS if the key exists. Durable on resolve. */
  put(key: string, data: Uint8Array, meta?: Record<string, string>): Promise<void>;
  /** Whole object; StorageError NOT_FOUND when missing. */
  get(key: string): Promise<{ data: Buffer; meta: Record<string, string> }>;
  /** Size and metadata, or null when missing. */
  head(key: string): Promise<ObjectInfo | null>;
  /** Remove; resolves also when the key did not exist. */
  delete(key: string): Promise<void>;
  /** Keys below `prefix`, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
  close(): Promise<void>;
}
