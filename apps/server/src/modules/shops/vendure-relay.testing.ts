import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Between Vendure's webhook plugin and PeakDesk in the end-to-end test: forwards each delivery unchanged (raw
 * body and the signature headers) to PeakDesk's HTTP listener and answers with PeakDesk's status; while
 * `losePushes` is set it answers 204 and forwards nothing, a push lost on the way. Answering 2xx keeps the
 * plugin from retrying the lost delivery later, so only reconciliation can find that change.
 */
export interface WebhookRelay {
  url: string;
  losePushes: boolean;
  /** Every delivery the plugin made, forwarded or lost. */
  readonly deliveries: { code: string; eventId: string; lost: boolean }[];
  close(): Promise<void>;
}

const FORWARDED_HEADERS = [
  'content-type',
  'x-peakdesk-event-id',
  'x-peakdesk-timestamp',
  'x-peakdesk-signature',
];

export async function startWebhookRelay(targetBaseUrl: string): Promise<WebhookRelay> {
  const deliveries: WebhookRelay['deliveries'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString()) as { id: string; order: { code: string } };
      deliveries.push({ code: parsed.order.code, eventId: parsed.id, lost: relay.losePushes });
      if (relay.losePushes) {
        response.writeHead(204).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      fetch(`${targetBaseUrl}${request.url ?? '/'}`, { method: 'POST', headers, body }).then(
        async (forwarded) => response.writeHead(forwarded.status).end(await forwarded.text()),
        () => response.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const relay: WebhookRelay = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    losePushes: false,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return relay;
}
