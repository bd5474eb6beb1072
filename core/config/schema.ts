/**
 * The one configuration object. Every key has its default beside it; every limit lives in
 * `limits`. Unknown keys are errors (a typo must not silently fall back to a default).
 */
import { z } from 'zod';

// Descriptions name what is expected in config error messages (core/config/errors.ts).
const port = z.number().int().min(0).max(65535).describe('a port number 0-65535');
const bytes = z.number().int().min(0).describe('a byte count (an integer >= 0)');
const seconds = z.number().min(0).describe('a number of seconds >= 0');

export const limitsSchema = z
  .object({
    /** Longest command line (bytes, excluding literals) an IMAP client may send. */
    imapLineLength: bytes.default(64 * 1024),
    /** Largest IMAP literal after authentication (APPEND bodies). */
    imapLiteralSize: bytes.default(64 * 1024 * 1024),
    /** Largest IMAP literal before authentication (LOGIN / AUTHENTICATE arguments). */
    imapLiteralSizePreAuth: bytes.default(8 * 1024),
    /** LITERAL- (RFC 7888): the largest non-synchronizing literal. */
    imapNonSyncLiteralSize: bytes.default(4096),
    /**
     * RFC 7888: true advertises LITERAL+ and accepts non-synchronizing literals up to the literal
     * limit (a larger one is read and discarded, then `NO [TOOBIG]`); false advertises LITERAL-
     * and caps them at imapNonSyncLiteralSize (larger: `BAD [TOOBIG]` and the connection closes).
     */
    imapLiteralPlus: z.boolean().default(true),
    /** Deepest parenthesis nesting in one IMAP command. */
    imapNestingDepth: z.number().int().min(1).default(32),
    /** Pipelined IMAP commands buffered before the server stops reading from the socket. */
    imapCommandsInFlight: z.number().int().min(1).default(64),
    /** POP3 command line length (RFC 2449 says 255 octets; some clients send more). */
    pop3LineLength: bytes.default(1024),
    /** LMTP command line length (RFC 5321: 512; we accept more for long addresses). */
    lmtpLineLength: bytes.default(4096),
    /** LMTP data line length accepted (RFC 5321 says 1000; real mail is often longer). */
    lmtpDataLineLength: bytes.default(1024 * 1024),
    /** Largest message accepted by APPEND or LMTP (advertised as SIZE). */
    messageSize: bytes.default(50 * 1024 * 1024),
    /** LMTP recipients per transaction. */
    lmtpRecipients: z.number().int().min(1).default(100),
    /** Concurrent connections from one user (all protocols together). */
    connectionsPerUser: z.number().int().min(1).default(50),
    /** Concurrent connections from one remote IP (loopback included). */
    connectionsPerIp: z.number().int().min(1).default(500),
    /** Failed authentications allowed on one connection before it is closed. */
    authFailuresPerConnection: z.number().int().min(1).default(3),
    /** Idle timeout of an unauthenticated connection (all protocols). */
    preAuthIdleSeconds: seconds.default(60),
    /** IMAP idle timeout after login (RFC 3501 autologout: at least 30 minutes). */
    imapIdleSeconds: seconds.default(30 * 60),
    /** POP3 idle timeout (RFC 1939: at least 10 minutes). */
    pop3IdleSeconds: seconds.default(10 * 60),
    /** LMTP idle timeout between commands. */
    lmtpIdleSeconds: seconds.default(5 * 60),
    /** METADATA (RFC 5464): largest value of one entry in bytes (SETMETADATA answers [METADATA MAXSIZE n]). */
    metadataValueSize: bytes.default(64 * 1024),
    /** METADATA: entries per mailbox, and for the server entries of a user ([METADATA TOOMANY] past it). */
    metadataEntries: z.number().int().min(1).default(100),
  })
  .strict();

export const configSchema = z
  .object({
    /** Data, caches, user database and generated certificate. COLUMBA_HOME overrides the default. */
    home: z.string().default(process.env.COLUMBA_HOME ?? './var'),
    /** Which roles this process plays. `all` is the embedded default. */
    roles: z.array(z.enum(['all', 'backend', 'proxy', 'director'])).default(['all']),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      })
      .strict()
      .default({}),
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        /** 0 picks a free port; null disables the listener. */
        imap: port.nullable().default(1143),
        imaps: port.nullable().default(1993),
        pop3: port.nullable().default(1110),
        pop3s: port.nullable().default(1995),
        lmtp: port.nullable().default(2424),
      })
      .strict()
      .default({}),
    tls: z
      .object({
        /** PEM files; when both are null a self-signed pair is made under home/tls at first start. */
        cert: z.string().nullable().default(null),
        key: z.string().nullable().default(null),
      })
      .strict()
      .default({}),
    storage: z
      .object({
        /** Object store: fs (local folder), memory (tests), s3 (any S3-compatible server; see `s3`), sproxyd (Scality RING; see `sproxyd`). */
        driver: z.enum(['fs', 'memory', 's3', 'sproxyd']).default('fs'),
        /** Root folder of the fs object store; null means home/storage. */
        fsRoot: z.string().nullable().default(null),
        /**
         * Threads that make the fs store's object puts (create, write, fdatasync, link, folder
         * fsync) in one hand-off each instead of five thread-pool hops; 0 = libuv's pool. null =
         * one per core, at most 2 (they mostly wait on the disk).
         */
        fsPutThreads: z.number().int().min(0).max(16).nullable().default(null),
        /** Local index working copies and journals; null means home/metacache. */
        metacache: z.string().nullable().default(null),
        /** Payloads at least this large are lz4-compressed (smaller ones gain nothing). */
        compressMinBytes: bytes.default(1024),
        /** Snapshot a mailbox index to the object store after this many journal records. */
        snapshotEveryChanges: z.number().int().min(1).default(200),
        /**
         * When a change is acknowledged. `always`: after the journal's fsync, for every change.
         * `optimized` (as Dovecot's mail_fsync): messages, expunges and mailbox changes wait for the
         * fsync; flag, keyword and subscription changes are answered at once, written in order and
         * fsynced with the next batch or within 1 s (a power cut can lose the last second of them;
         * a killed process none; never a message).
         */
        fsync: z.enum(['always', 'optimized']).default('optimized'),
        /**
         * Mailbox indexes whose encoded bundle is at most this size go inside the root bundle
         * instead of an object of their own: a cold login GETs only big mailboxes. 0 turns it off.
         */
        inlineBundleMax: bytes.default(4096),
        /**
         * A superseded index base (and the mailbox bundles only it names) or diff stays this long
         * after it stopped being needed before a later upload deletes it: during a split brain the
         * other backend may still write diffs against it (core/storage/README.md, "Merge of index heads").
         */
        supersededGraceMs: z.number().int().min(0).default(3_600_000),
        /** When a user's index changes go up to the object store (as a diff) between snapshots. */
        upload: z
          .object({
            /** Upload after this many LMTP deliveries/APPENDs to a user since the last upload. */
            everyDeliveries: z.number().int().min(1).default(20),
            /** After an IMAP change (flags, expunge, move, create...) upload at most this long later (coalesced). */
            afterChangeMs: z.number().int().min(0).default(5000),
            /**
             * Upload when the user's last session ends. `auto` (default): where another backend
             * can take the user over (s3, sproxyd); not with a local folder (fs) or memory, whose
             * only reader is this process and its journal (set true for fs on shared storage).
             */
            atLogout: z.union([z.boolean(), z.literal('auto')]).default('auto'),
          })
          .strict()
          .default({}),
        /** The S3 backend, used when driver is 's3'. */
        s3: z
          .object({
            /** e.g. http://minio:9000; null means AWS S3 in `region`. */
            endpoint: z.string().nullable().default(null),
            region: z.string().default('us-east-1'),
            bucket: z.string().min(1).default('columba'),
            /** Empty (both) means the SDK default chain: AWS_ACCESS_KEY_ID/..., instance role. */
            accessKeyId: z.string().default(''),
            secretAccessKey: z.string().default(''),
            /** http://host/bucket/key instead of bucket.host (MinIO, Ceph, s3rver need it). */
            forcePathStyle: z.boolean().default(false),
            /** Requests in flight at once per process; more queue. */
            maxInFlight: z.number().int().min(1).default(64),
            /** Extra attempts (jittered back-off) on 5xx, throttling and timeouts. */
            retries: z.number().int().min(0).default(4),
            /** Per-request socket timeout. */
            requestTimeoutMs: z.number().int().min(1).default(30000),
            /**
             * HEAD before every PUT to refuse overwrites on servers that ignore If-None-Match
             * (s3rver); false saves a request on AWS S3, MinIO and Ceph, which honour it.
             */
            headBeforePut: z.boolean().default(true),
            /** Sort whole listings locally (for servers like s3rver that do not list in byte order). */
            sortListing: z.boolean().default(false),
          })
          .strict()
          .default({}),
        /** Scality sproxyd in by-path mode, used when driver is 'sproxyd' (core/storage/README.md). */
        sproxyd: z
          .object({
            /** Connector base URLs, e.g. http://10.0.0.1:81; round-robin, failover on connection errors. */
            endpoints: z.array(z.string().url()).min(1).default(['http://127.0.0.1:81']),
            /** The by-path driver path on the connectors. */
            path: z.string().startsWith('/').default('/proxy/bparc'),
            /** Requests in flight at once per process; more queue. */
            maxInFlight: z.number().int().min(1).default(64),
            /** Extra attempts (jittered back-off) on 5xx, 423 Locked, timeouts and resets. */
            retries: z.number().int().min(0).default(4),
            /** Per-request socket timeout. */
            requestTimeoutMs: z.number().int().min(1).default(30000),
            /** HEAD before every PUT, for RINGs that ignore If-None-Match. */
            headBeforePut: z.boolean().default(true),
            /** The key index that lists keys (sproxyd cannot): a Redis URL (run Redis with appendonly). */
            listIndex: z.string().default('redis://127.0.0.1:6379/0'),
            /** Prefix of the index's Redis keys, so several clusters can share one Redis. */
            listIndexNamespace: z.string().min(1).default('columba'),
          })
          .strict()
          .default({}),
        /**
         * Recently read messages kept in memory, one budget for all loaded users (a FETCH of
         * several sections reads a message many times); messages over a quarter of it (at most
         * 2 MiB) are not kept.
         */
        readCacheBytes: bytes.default(64 * 1024 * 1024),
        /** A local disk cache of objects in front of the driver (worth it with s3). */
        cache: z
          .object({
            enabled: z.boolean().default(false),
            /** Cache folder; null means home/objcache. */
            dir: z.string().nullable().default(null),
            /** Least recently used objects are evicted above this size. */
            maxBytes: bytes.default(1024 * 1024 * 1024),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    auth: z
      .object({
        /** The built-in passwd-file user database; null means home/users. */
        passwdFile: z.string().nullable().default(null),
        /** Scheme for new passwords. */
        defaultScheme: z.enum(['ARGON2ID', 'SHA512-CRYPT', 'SSHA512']).default('ARGON2ID'),
        /** Refuse plaintext auth on unencrypted connections (loopback is exempt), as Dovecot does. */
        disablePlaintextAuth: z.boolean().default(true),
        /** First delay after a failed login; doubles with each further failure from the same IP. */
        failureDelayMs: z.number().int().min(0).default(500),
        /** Ceiling of that delay. */
        failureDelayMaxMs: z.number().int().min(0).default(15000),
        /**
         * Seconds a successful password verification is remembered (an HMAC of the password, per
         * user and stored hash; core/auth/verify-cache.ts), sparing the scheme's cost on repeated
         * logins. 0 (default) disables it, like Dovecot's auth_cache_size = 0.
         */
        cacheTtlSeconds: z.number().int().min(0).default(0),
        /** Most users the verification cache holds (the oldest entry goes first). */
        cacheSize: z.number().int().min(1).default(100_000),
        /**
         * Password hashing threads (SHA512-CRYPT, argon2id; core/auth/hash-threads.ts), started
         * on demand. 0 (default): one per core, at most 4.
         */
        hashThreads: z.number().int().min(0).max(64).default(0),
        /**
         * OS priority (nice, 0-19) of the hashing threads, so that on a busy machine the event
         * loop, and with it every logged-in session, runs before a queue of logins (Linux; 0 =
         * the process's own). docs/auth.md has the figures.
         */
        hashNice: z.number().int().min(0).max(19).default(5),
      })
      .strict()
      .default({}),
    quota: z
      .object({
        /** Per-user storage limit in bytes; 0 means unlimited. */
        storageBytes: bytes.default(0),
        /** Per-user message count limit; 0 means unlimited. */
        messages: z.number().int().min(0).default(0),
      })
      .strict()
      .default({}),
    workers: z
      .object({
        /** Worker threads; 0 means one per core. */
        threads: z.number().int().min(0).default(0),
        /** Inputs smaller than this many bytes run inline on the event loop (see bench/). */
        offloadMinBytes: bytes.default(64 * 1024),
      })
      .strict()
      .default({}),
    metrics: z
      .object({
        /** HTTP listener serving GET /metrics (Prometheus text), e.g. "127.0.0.1:9090"; null = off. */
        listen: z.string().nullable().default(null),
      })
      .strict()
      .default({}),
    limits: limitsSchema.default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type Limits = z.infer<typeof limitsSchema>;
