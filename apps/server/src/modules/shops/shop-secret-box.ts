import { ConfigError, loadConfig } from '../../config.ts';
import { SecretKeyError, secretBoxFromEnvironment, type SecretBox } from '../../lib/secret-box.ts';

let box: SecretBox | undefined;

/**
 * The process's SecretBox for shop credentials: `PEAKDESK_SECRET_KEY` (+ `PEAKDESK_SECRET_KEYS_PREVIOUS`), or
 * the key file under the data directory (embedded setup). One per process, made on first use, so that HTTP
 * routes and background jobs (whose context carries no key) open the same secrets.
 */
export function shopSecretBox(): SecretBox {
  try {
    box ??= secretBoxFromEnvironment(process.env, loadConfig().dataDir);
  } catch (error) {
    // A malformed key is the operator's to fix: `peakdesk` prints ConfigErrors as one line and exits 2.
    if (error instanceof SecretKeyError) throw new ConfigError(error.message);
    throw error;
  }
  return box;
}

/** Replaces the process's box (tests with a fixed key, the CLI after parsing its options). */
export function useShopSecretBox(replacement: SecretBox): void {
  box = replacement;
}
