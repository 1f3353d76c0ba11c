import type { SecretBox } from './secret-box';
import { SEALED_COLUMNS, type SealedValuesRepository } from './sealed-values.repository';

export interface RotationResult {
  /** Values re-encrypted under the current key, per `table.column`. */
  resealed: Record<string, number>;
  /** Values that were already under the current key. */
  current: number;
}

/**
 * Re-encrypts every sealed value (account credentials, access tokens, TOTP seeds) that is not yet
 * under the box's current key, in one transaction: either all move to the new key or none does.
 * The box must know the old keys (APP_SECRET_KEY_PREVIOUS); a value under an unknown key aborts.
 */
export async function rotateSecrets(repo: SealedValuesRepository, box: SecretBox): Promise<RotationResult> {
  return repo.transaction(async (em) => {
    const result: RotationResult = { resealed: {}, current: 0 };
    for (const c of SEALED_COLUMNS) {
      const name = `${c.table}.${c.column}`;
      result.resealed[name] = 0;
      for (const row of await repo.lockAll(em, c)) {
        if (box.keyIdOf(row.sealed) === box.keyId) {
          result.current++;
          continue;
        }
        let plain: string;
        try {
          plain = box.open(row.sealed, c.aad(row.key));
        } catch (err) {
          throw new Error(
            `${name} of ${row.key} cannot be opened (${err instanceof Error ? err.message : String(err)}); ` +
              'is its key given in APP_SECRET_KEY_PREVIOUS?',
          );
        }
        await repo.update(em, c, row.key, box.seal(plain, c.aad(row.key)));
        result.resealed[name]++;
      }
    }
    return result;
  });
}
