/*
 * Secrets at rest: `npm run secrets:rotate` re-encrypts every sealed value under APP_SECRET_KEY,
 * reading old ones with the key(s) in APP_SECRET_KEY_PREVIOUS; `secrets.js status` counts values per key id.
 */
import { AuditRepository } from '../audit/audit.repository';
import { ConfigError, loadConfig } from '../config/config';
import { SecretBox } from '../crypto/secret-box';
import { rotateSecrets } from '../crypto/secret-rotation';
import { SealedValuesRepository } from '../crypto/sealed-values.repository';
import { resolveDatabase } from '../database/connect';
import { createDataSource } from '../database/data-source';

async function main(): Promise<number> {
  const [command] = process.argv.slice(2);
  if (command !== 'rotate' && command !== 'status') {
    console.error('Usage: secrets.js rotate | status');
    return 2;
  }
  const config = loadConfig();
  const db = await resolveDatabase(config, (m) => console.error(m));
  const ds = createDataSource(db.url, 2);
  await ds.initialize();
  try {
    const repo = new SealedValuesRepository(ds);
    if (command === 'status') {
      console.log(`Current key id: ${config.secretKeyId}`);
      for (const u of await repo.usage()) console.log(`${u.column}: ${u.count} under key ${u.keyId}`);
      return 0;
    }
    const box = new SecretBox({ id: config.secretKeyId, key: config.secretKey }, config.previousSecretKeys);
    const result = await rotateSecrets(repo, box);
    const total = Object.values(result.resealed).reduce((a, b) => a + b, 0);
    await new AuditRepository(ds).insert({
      actorId: null,
      actorEmail: null,
      action: 'secrets.rotated',
      targetType: 'secrets',
      targetId: null,
      ip: null,
      details: {
        keyId: config.secretKeyId,
        previousKeyIds: config.previousSecretKeys.map((k) => k.id),
        resealed: result.resealed,
      },
    });
    for (const [column, n] of Object.entries(result.resealed)) console.log(`${column}: ${n} re-encrypted`);
    console.log(
      `Re-encrypted ${total} secret(s) under key ${config.secretKeyId} (${result.current} already were). ` +
        'Restart every instance with the new APP_SECRET_KEY; APP_SECRET_KEY_PREVIOUS can then be removed.',
    );
    return 0;
  } finally {
    await ds.destroy();
    await db.embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
