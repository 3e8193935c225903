import { Alert, App, Button, Descriptions, Drawer, Empty, Input, List, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useMe } from '../../auth/useSession.ts';
import { DueTag, StatusTag, departmentName, personName } from './TaskBits.tsx';
import {
  TASK_CREATORS,
  isOpenTask,
  useChangeTask,
  useClaimTask,
  useDepartments,
  usePostTaskMessage,
  useTaskThread,
  type Task,
  type TaskStatus,
} from './useTasks.ts';

/**
 * One task in a drawer: what is asked, its state and the actions the caller may take, and the thread between
 * the department and the ticket's agent. The server decides who may do what; a refused action says why.
 */
export function TaskThread({
  task,
  meId,
  names,
  onClose,
}: {
  task: Task | null;
  meId: string | null;
  names: ReadonlyMap<string, string> | undefined;
  onClose: () => void;
}) {
  return (
    <Drawer open={Boolean(task)} onClose={onClose} width={520} title={task ? task.title : ''} destroyOnHidden>
      {task && <TaskBody task={task} meId={meId} names={names} />}
    </Drawer>
  );
}

function TaskBody({
  task: given,
  meId,
  names,
}: {
  task: Task;
  meId: string | null;
  names: ReadonlyMap<string, string> | undefined;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const departments = useDepartments();
  const thread = useTaskThread(given.id);
  const change = useChangeTask(given.id);
  const claim = useClaimTask(given.id);
  const post = usePostTaskMessage(given.id);
  const [draft, setDraft] = useState('');
  // The answer of our own change, until the refreshed list catches up (a done task leaves an open queue).
  const [answered, setAnswered] = useState<Task | null>(null);
  const task = answered && answered.id === given.id && answered.version > given.version ? answered : given;
  const open = isOpenTask(task);
  // Offer only what the server allows (task.policy.ts): the department (and admins, supervisors) works the
  // task; the ticket's side may cancel it.
  const role = useMe().data?.role ?? '';
  const department = departments.data?.find((d) => d.id === task.departmentId);
  const isMember = Boolean(
    meId && department && (department.leadId === meId || department.memberIds.includes(meId)),
  );
  const manages = role === 'admin' || role === 'supervisor' || isMember;
  const mayCancel = manages || TASK_CREATORS.has(role);
  const fail = (error: unknown) => void message.error(describeError(error, t));
  const saved = (result: Task) => {
    setAnswered(result);
    void message.success(t('tasks.saved'));
  };
  const setStatus = (status: TaskStatus) => change.mutate({ status }, { onSuccess: saved, onError: fail });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('tasks.ticket')}>
          <a href={`#/tickets/${task.ticket.id}`}>
            #{task.ticket.number} {task.ticket.subject}
          </a>
        </Descriptions.Item>
        <Descriptions.Item label={t('tasks.department')}>
          {departmentName(departments.data, task.departmentId)}
        </Descriptions.Item>
        <Descriptions.Item label={t('tasks.statusLabel')}>
          <StatusTag status={task.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('tasks.owner')}>
          {personName(task.ownerId, names, meId, t)}
        </Descriptions.Item>
        <Descriptions.Item label={t('tasks.dueAt')}>
          <DueTag task={task} />
        </Descriptions.Item>
      </Descriptions>
      {task.description && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{task.description}</Typography.Paragraph>
      )}
      {open && (
        <Space wrap>
          {isMember && task.ownerId !== meId && (
            <Button
              onClick={() => claim.mutate(undefined, { onSuccess: saved, onError: fail })}
              loading={claim.isPending}
            >
              {t('tasks.claim')}
            </Button>
          )}
          {manages && (
            <Button type="primary" onClick={() => setStatus('done')} loading={change.isPending}>
              {t('tasks.markDone')}
            </Button>
          )}
          {mayCancel && (
            <Button danger onClick={() => setStatus('cancelled')} loading={change.isPending}>
              {t('tasks.cancel')}
            </Button>
          )}
        </Space>
      )}
      <Typography.Title level={5}>{t('tasks.thread')}</Typography.Title>
      {thread.isError && <Alert type="error" message={describeError(thread.error, t)} />}
      {thread.data && thread.data.length === 0 && <Empty description={t('tasks.noMessages')} />}
      {thread.data && thread.data.length > 0 && (
        <List
          size="small"
          dataSource={thread.data}
          renderItem={(m) => (
            <List.Item className={m.authorType === 'system' ? 'task-message-system' : undefined}>
              <List.Item.Meta
                title={
                  <Space>
                    <span>
                      {m.authorType === 'system' ? t('tasks.system') : personName(m.authorId, names, meId, t)}
                    </span>
                    <Typography.Text type="secondary">
                      {dayjs(m.createdAt).format('MM-DD HH:mm')}
                    </Typography.Text>
                  </Space>
                }
                description={<span style={{ whiteSpace: 'pre-wrap' }}>{m.body}</span>}
              />
            </List.Item>
          )}
        />
      )}
      {open && (
        <Space.Compact style={{ width: '100%' }}>
          <Input.TextArea
            aria-label={t('tasks.messagePlaceholder')}
            placeholder={t('tasks.messagePlaceholder')}
            value={draft}
            autoSize={{ minRows: 2, maxRows: 6 }}
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button
            type="primary"
            disabled={!draft.trim()}
            loading={post.isPending}
            onClick={() => post.mutate(draft, { onSuccess: () => setDraft(''), onError: fail })}
          >
            {t('tasks.send')}
          </Button>
        </Space.Compact>
      )}
    </Space>
  );
}
