import { loadConfig } from '../../config.ts';
import { secretBoxFromEnvironment, type SecretBox } from '../../lib/secret-box.ts';

let box: SecretBox | undefined;

/**
 * The process's SecretBox for shop credentials: `PEAKDESK_SECRET_KEY` (+ `PEAKDESK_SECRET_KEYS_PREVIOUS`), or
 * the key file under the data directory (embedded setup). One per process, made on first use, so that HTTP
 * routes and background jobs (whose context carries no key) open the same secrets.
 */
export function shopSecretBox(): SecretBox {
  box ??= secretBoxFromEnvironment(process.env, loadConfig().dataDir);
  return box;
}

/** Replaces the process's box (tests with a fixed key, the CLI after parsing its options). */
export function useShopSecretBox(replacement: SecretBox): void {
  box = replacement;
}
