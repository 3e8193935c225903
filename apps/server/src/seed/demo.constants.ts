/**
 * The demo tenant's public facts, apart from its seed so that the `peakdesk start` banner can name them
 * without loading the seed (and with it the app) into a cluster primary that only forks workers.
 */
export const DEMO_SLUG = 'demo';
/** Every seeded demo account other than the admin signs in with this password. */
export const DEMO_STAFF_PASSWORD = 'peakdesk-demo';
