/**
 * Child process of the encryption-upgrade crash test: runs `encryptClinic` on a data folder (the
 * same code as `needlelog encrypt` and the Encrypt page) and prints each step, until it is killed
 * or done. Usage: encryptWorker.ts <dataDir> <passphrase>
 */
import { encryptClinic } from '../../electron/services/encryption.js';
import { TEST_SCRYPT } from '../support/clinic.js';

const [dataDir, passphrase] = process.argv.slice(2);
if (!dataDir || !passphrase) throw new Error('usage: encryptWorker.ts <dataDir> <passphrase>');
process.stdout.write('STARTED\n');
encryptClinic(dataDir, passphrase, {
  scrypt: TEST_SCRYPT,
  onProgress: (p) => process.stdout.write(`STEP ${p.label} ${p.done}/${p.total}\n`),
}).then(
  () => process.stdout.write('DONE\n'),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
