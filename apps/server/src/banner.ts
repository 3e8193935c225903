import type { Config } from './config.ts';
import { DEMO_SLUG, DEMO_STAFF_PASSWORD } from './seed/demo.constants.ts';

/** What `peakdesk start` prints once it is ready to serve: where to go and how to log in to the demo. */
export function banner(config: Config): string {
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `
PeakDesk is running: http://${shownHost}:${config.port}/
API docs:            http://${shownHost}:${config.port}/api/docs
Customer portal:     http://${shownHost}:${config.port}/portal/${DEMO_SLUG}
Demo login:          ${config.adminEmail} / ${process.env.PEAKDESK_ADMIN_PASSWORD ? '(PEAKDESK_ADMIN_PASSWORD)' : config.adminPassword}
Other demo staff:    lead@demo.peakdesk.local, li.na@demo.peakdesk.local, temp01@outsource.example … / ${DEMO_STAFF_PASSWORD}
`;
}
