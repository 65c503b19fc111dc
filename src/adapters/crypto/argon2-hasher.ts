import argon2 from 'argon2';
import { DEFAULT_HASH_COST, type HashCost, type SecretHasher } from '../../ports/directory-store.js';

/** argon2id at the given cost (PASSWORD_HASH_MEMORY_KIB, PASSWORD_HASH_PASSES): for passwords and PINs. */
export function argon2Hasher(cost: HashCost = DEFAULT_HASH_COST): SecretHasher {
  return {
    hash: (secret) => argon2.hash(secret, { type: argon2.argon2id, memoryCost: cost.memoryKiB, timeCost: cost.passes }),
    async verify(hash, secret) {
      try {
        return await argon2.verify(hash, secret);
      } catch {
        return false;
      }
    },
  };
}
