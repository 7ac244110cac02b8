import { safeStorage } from 'electron';
import type { Keychain } from '../services/keySlots.js';

/**
 * The OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the Secret
 * Service or KWallet on Linux). On Linux, `basic_text` means no keychain was found and the
 * "encryption" uses a hard-coded password: that counts as no keychain, and the passphrase is asked.
 */
export const electronKeychain: Keychain = {
  available() {
    if (!safeStorage.isEncryptionAvailable()) return false;
    return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  },
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (blob) => safeStorage.decryptString(blob),
};
