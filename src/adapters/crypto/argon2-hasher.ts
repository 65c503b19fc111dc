import argon2 from 'argon2';
import type { SecretHasher } from '../../ports/directory-store.js';

/** argon2id with the library's defaults (64 MiB, 3 passes): for passwords and PINs. */
export const argon2Hasher: SecretHasher = {
  hash: (secret) => argon2.hash(secret, { type: argon2.argon2id }),
  async verify(hash, secret) {
    try {
      return await argon2.verify(hash, secret);
    } catch {
      return false;
    }
  },
};
