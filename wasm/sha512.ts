// SHA-512 (FIPS 180-4) and the SHA512-CRYPT (`$6$`) key derivation of Ulrich Drepper's
// "Unix crypt using SHA-256 and SHA-512" spec, as used by glibc's crypt(3) and Dovecot.
//
// Why here: every login of a user with a {SHA512-CRYPT} hash runs 5000+ SHA-512 compressions;
// pure JS (unixcrypt) takes ~23 ms per login, and node:crypto costs a native call per round.
// Only the verify side of a password scheme users already have: new hashes are argon2id.
//
// Memory: nothing allocates (runtime "stub" shares __heap_base with the facade's scratch).
// The hash state and the derivation's intermediates live in static data (memory.data);
// callers pass pointers into their scratch region. One hash runs at a time per instance.

// @ts-ignore: decorator
@inline const BLOCK: usize = 128;

const K: usize = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]);

const H: usize = memory.data(64); // chaining state, 8 × u64 (native order)
const BUF: usize = memory.data(128); // partial block
const W: usize = memory.data(640); // message schedule, 80 × u64
let bufLen: usize = 0;
let totalLen: u64 = 0;

// Intermediates of the crypt derivation (the spec's A, B, DP/DS and S).
const DIGEST_A: usize = memory.data(64);
const DIGEST_B: usize = memory.data(64);
const DIGEST_T: usize = memory.data(64);
const SALT_S: usize = memory.data(16);

// @ts-ignore: decorator
@inline function bsig0(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
// @ts-ignore: decorator
@inline function bsig1(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
// @ts-ignore: decorator
@inline function ssig0(x: u64): u64 { return rotr<u64>(x, 1) ^ rotr<u64>(x, 8) ^ (x >> 7); }
// @ts-ignore: decorator
@inline function ssig1(x: u64): u64 { return rotr<u64>(x, 19) ^ rotr<u64>(x, 61) ^ (x >> 6); }

// One 128-byte block at p (any alignment) into H.
function compress(p: usize): void {
  for (let t: usize = 0; t < 16; t++) {
    store<u64>(W + (t << 3), bswap<u64>(load<u64>(p + (t << 3))));
  }
  for (let t: usize = 16; t < 80; t++) {
    const w2 = load<u64>(W + ((t - 2) << 3));
    const w15 = load<u64>(W + ((t - 15) << 3));
    store<u64>(W + (t << 3), ssig1(w2) + load<u64>(W + ((t - 7) << 3)) + ssig0(w15) + load<u64>(W + ((t - 16) << 3)));
  }
  let a = load<u64>(H), b = load<u64>(H, 8), c = load<u64>(H, 16), d = load<u64>(H, 24);
  let e = load<u64>(H, 32), f = load<u64>(H, 40), g = load<u64>(H, 48), h = load<u64>(H, 56);
  // Eight rounds per pass with the roles of a..h rotated in the code instead of moving values
  // between variables; Ch and Maj in their 3- and 4-operation forms.
  for (let o: usize = 0; o < 640; o += 64) {
    h += bsig1(e) + (g ^ (e & (f ^ g))) + load<u64>(K + o, 0) + load<u64>(W + o, 0);
    d += h;
    h += bsig0(a) + ((a & b) | (c & (a | b)));
    g += bsig1(d) + (f ^ (d & (e ^ f))) + load<u64>(K + o, 8) + load<u64>(W + o, 8);
    c += g;
    g += bsig0(h) + ((h & a) | (b & (h | a)));
    f += bsig1(c) + (e ^ (c & (d ^ e))) + load<u64>(K + o, 16) + load<u64>(W + o, 16);
    b += f;
    f += bsig0(g) + ((g & h) | (a & (g | h)));
    e += bsig1(b) + (d ^ (b & (c ^ d))) + load<u64>(K + o, 24) + load<u64>(W + o, 24);
    a += e;
    e += bsig0(f) + ((f & g) | (h & (f | g)));
    d += bsig1(a) + (c ^ (a & (b ^ c))) + load<u64>(K + o, 32) + load<u64>(W + o, 32);
    h += d;
    d += bsig0(e) + ((e & f) | (g & (e | f)));
    c += bsig1(h) + (b ^ (h & (a ^ b))) + load<u64>(K + o, 40) + load<u64>(W + o, 40);
    g += c;
    c += bsig0(d) + ((d & e) | (f & (d | e)));
    b += bsig1(g) + (a ^ (g & (h ^ a))) + load<u64>(K + o, 48) + load<u64>(W + o, 48);
    f += b;
    b += bsig0(c) + ((c & d) | (e & (c | d)));
    a += bsig1(f) + (h ^ (f & (g ^ h))) + load<u64>(K + o, 56) + load<u64>(W + o, 56);
    e += a;
    a += bsig0(b) + ((b & c) | (d & (b | c)));
  }
  store<u64>(H, load<u64>(H) + a);
  store<u64>(H, load<u64>(H, 8) + b, 8);
  store<u64>(H, load<u64>(H, 16) + c, 16);
  store<u64>(H, load<u64>(H, 24) + d, 24);
  store<u64>(H, load<u64>(H, 32) + e, 32);
  store<u64>(H, load<u64>(H, 40) + f, 40);
  store<u64>(H, load<u64>(H, 48) + g, 48);
  store<u64>(H, load<u64>(H, 56) + h, 56);
}

/** Starts a new SHA-512 hash (the instance holds one hash at a time). */
export function sha512Init(): void {
  store<u64>(H, 0x6a09e667f3bcc908);
  store<u64>(H, 0xbb67ae8584caa73b, 8);
  store<u64>(H, 0x3c6ef372fe94f82b, 16);
  store<u64>(H, 0xa54ff53a5f1d36f1, 24);
  store<u64>(H, 0x510e527fade682d1, 32);
  store<u64>(H, 0x9b05688c2b3e6c1f, 40);
  store<u64>(H, 0x1f83d9abfb41bd6b, 48);
  store<u64>(H, 0x5be0cd19137e2179, 56);
  bufLen = 0;
  totalLen = 0;
}

/** Feeds [ptr, ptr+len) to the current hash. */
export function sha512Update(ptr: usize, len: usize): void {
  totalLen += <u64>len;
  if (bufLen > 0) {
    const take = min<usize>(BLOCK - bufLen, len);
    memory.copy(BUF + bufLen, ptr, take);
    bufLen += take;
    ptr += take;
    len -= take;
    if (bufLen < BLOCK) return;
    compress(BUF);
    bufLen = 0;
  }
  while (len >= BLOCK) {
    compress(ptr);
    ptr += BLOCK;
    len -= BLOCK;
  }
  if (len > 0) {
    memory.copy(BUF, ptr, len);
    bufLen = len;
  }
}

/** Pads, finishes the current hash and writes its 64-byte digest to out. */
export function sha512Final(out: usize): void {
  store<u8>(BUF + bufLen, 0x80);
  bufLen++;
  if (bufLen > BLOCK - 16) {
    memory.fill(BUF + bufLen, 0, BLOCK - bufLen);
    compress(BUF);
    bufLen = 0;
  }
  memory.fill(BUF + bufLen, 0, BLOCK - 8 - bufLen);
  // 128-bit big-endian length in bits; the high half is zero for any input this side of 2 EiB.
  store<u64>(BUF + BLOCK - 8, bswap<u64>(totalLen << 3));
  compress(BUF);
  for (let i: usize = 0; i < 8; i++) store<u64>(out + (i << 3), bswap<u64>(load<u64>(H + (i << 3))));
  bufLen = 0;
}

// The same bytes `len` long built from 64-byte digest copies (the spec's P and S sequences).
function repeatDigest(dst: usize, digest: usize, len: usize): void {
  let at: usize = 0;
  while (len - at >= 64) {
    memory.copy(dst + at, digest, 64);
    at += 64;
  }
  memory.copy(dst + at, digest, len - at);
}

/**
 * SHA512-CRYPT's raw 64-byte result for password [pw, pw+pwLen) and salt [salt, salt+saltLen)
 * (the salt proper, at most 16 bytes, without `$6$` or `rounds=`), after `rounds` rounds,
 * written to out. pScratch must hold pwLen bytes (the spec's P sequence).
 * Steps numbered as in Drepper's spec; the caller encodes the result (crypt base64).
 */
export function sha512Crypt(pw: usize, pwLen: usize, salt: usize, saltLen: usize, rounds: u32, pScratch: usize, out: usize): void {
  // B = H(pw salt pw)  (steps 4-8)
  sha512Init();
  sha512Update(pw, pwLen);
  sha512Update(salt, saltLen);
  sha512Update(pw, pwLen);
  sha512Final(DIGEST_B);
  // A = H(pw salt B-bytes-for-each-pw-byte, then B or pw for each bit of pwLen)  (steps 1-3, 9-12)
  sha512Init();
  sha512Update(pw, pwLen);
  sha512Update(salt, saltLen);
  let cnt = pwLen;
  for (; cnt > 64; cnt -= 64) sha512Update(DIGEST_B, 64);
  sha512Update(DIGEST_B, cnt);
  for (cnt = pwLen; cnt > 0; cnt >>= 1) {
    if (cnt & 1) sha512Update(DIGEST_B, 64);
    else sha512Update(pw, pwLen);
  }
  sha512Final(DIGEST_A);
  // P = H(pw repeated pwLen times), stretched to pwLen bytes  (steps 13-16)
  sha512Init();
  for (let i: usize = 0; i < pwLen; i++) sha512Update(pw, pwLen);
  sha512Final(DIGEST_T);
  repeatDigest(pScratch, DIGEST_T, pwLen);
  // S = H(salt repeated 16 + A[0] times), cut to saltLen bytes  (steps 17-20)
  sha512Init();
  const saltTimes: u32 = 16 + <u32>load<u8>(DIGEST_A);
  for (let i: u32 = 0; i < saltTimes; i++) sha512Update(salt, saltLen);
  sha512Final(DIGEST_T);
  repeatDigest(SALT_S, DIGEST_T, saltLen);
  // The rounds  (step 21)
  for (let r: u32 = 0; r < rounds; r++) {
    sha512Init();
    if (r & 1) sha512Update(pScratch, pwLen);
    else sha512Update(DIGEST_A, 64);
    if (r % 3 != 0) sha512Update(SALT_S, saltLen);
    if (r % 7 != 0) sha512Update(pScratch, pwLen);
    if (r & 1) sha512Update(DIGEST_A, 64);
    else sha512Update(pScratch, pwLen);
    sha512Final(DIGEST_A);
  }
  memory.copy(out, DIGEST_A, 64);
}
