import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';

interface NextOutcome {
  ticketId: string | null;
  status: 'assigned' | 'at_capacity' | 'queue_empty';
}

/** "Next ticket": POST /api/v1/tickets/next, then open what we got or say why there is none. */
export function useNextTicket(onAssigned: (ticketId: string) => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<NextOutcome>('/api/v1/tickets/next'),
    onSuccess: (outcome) => {
      if (outcome.ticketId) {
        onAssigned(outcome.ticketId);
        void client.invalidateQueries({ queryKey: ['tickets', 'list'] });
        void client.invalidateQueries({ queryKey: ['queues'] });
      } else void message.info(t(`workspace.next.${outcome.status}`));
    },
    onError: (error) => void message.error(describeError(error, t)),
  });
}
