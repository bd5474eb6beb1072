/** S3 SDK errors -> the closed StorageError set, and which ones are worth a retry. */
import { StorageError, isStorageError, type StorageErrorCode } from '../errors.ts';

interface SdkErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled']);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {};
}

export function isTransientS3Error(err: unknown): boolean {
  if (isStorageError(err)) return err.code === 'TEMPORARY' || err.code === 'UNAVAILABLE';
  const e = shape(err);
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    status >= 500 ||
    status === 429 ||
    e.$retryable !== undefined ||
    THROTTLING.has(e.name ?? '') ||
    TIMEOUTS.has(e.name ?? '') ||
    NETWORK.has(e.code ?? '')
  );
}

export function toStorageError(err: unknown, what: string): StorageError {
  if (isStorageError(err)) return err;
  const e = shape(err);
  const status = e.$metadata?.httpStatusCode ?? 0;
  const name = e.name ?? '';
  let code: StorageErrorCode;
  if (name === 'NoSuchBucket') code = 'UNAVAILABLE';
  else if (status === 404 || name === 'NoSuchKey' || name === 'NotFound') code = 'NOT_FOUND';
  else if (status === 412 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict') code = 'EXISTS';
  else if (status === 403 || name === 'AccessDenied') code = 'NO_PERMISSION';
  else if (name === 'KeyTooLongError' || name === 'InvalidArgument' || name === 'MetadataTooLarge') code = 'INVALID';
  else if (name === 'EntityTooLarge') code = 'TOO_BIG';
  else if (NETWORK.has(e.code ?? '')) code = 'UNAVAILABLE';
  else if (isTransientS3Error(err)) code = 'TEMPORARY';
  else code = 'UNAVAILABLE';
  const msg = err instanceof Error ? err.message : String(err);
  return new StorageError(code, `s3 ${what}: ${name || 'error'} ${msg}`.trim(), { cause: err });
}
