import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useMe } from '../../auth/useSession.ts';
import { DueTag, StatusTag, departmentName, personName } from './TaskBits.tsx';
import { TaskThread } from './TaskThread.tsx';
import {
  TASK_CREATORS,
  isOpenTask,
  useCreateTask,
  useDepartments,
  useTicketTasks,
  useUserNames,
  type Task,
} from './useTasks.ts';

/**
 * The ticket's department tasks: open ones with department, owner and due state (closed ones on demand), a
 * form to ask a department, and each task's thread in a drawer.
 */
export function TicketTasksPanel({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const me = useMe().data ?? { role: 'collaborator', userId: null };
  const tasks = useTicketTasks(ticketId);
  const departments = useDepartments();
  const names = useUserNames(me.role !== 'collaborator');
  const [showClosed, setShowClosed] = useState(false);
  const [creating, setCreating] = useState(false);
  const [opened, setOpened] = useState<Task | null>(null);
  const items = (tasks.data ?? []).filter((task) => showClosed || isOpenTask(task));
  // The drawer keeps the task it opened when a refresh drops it from this list (done in an open queue).
  const selected = opened ? (tasks.data?.find((task) => task.id === opened.id) ?? opened) : null;

  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={t('tasks.panelTitle', { count: (tasks.data ?? []).filter(isOpenTask).length })}
      extra={
        TASK_CREATORS.has(me.role) && (
          <Button size="small" onClick={() => setCreating(true)}>
            {t('tasks.new')}
          </Button>
        )
      }
      data-testid="ticket-tasks"
    >
      {tasks.isError && <Alert type="error" message={describeError(tasks.error, t)} />}
      {tasks.data && items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tasks.noneOpen')} />
      )}
      {items.length > 0 && (
        <List
          size="small"
          dataSource={items}
          renderItem={(task) => (
            <List.Item onClick={() => setOpened(task)} style={{ cursor: 'pointer' }}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Typography.Text strong ellipsis>
                  <a>{task.title}</a>
                </Typography.Text>
                <Space size={4} wrap>
                  <Typography.Text type="secondary">
                    {departmentName(departments.data, task.departmentId)}
                  </Typography.Text>
                  <Typography.Text type="secondary">
                    · {personName(task.ownerId, names.data, me.userId, t)}
                  </Typography.Text>
                </Space>
                <Space size={4} wrap>
                  <StatusTag status={task.status} />
                  {isOpenTask(task) && <DueTag task={task} />}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Space style={{ marginTop: 8 }}>
        <Switch
          size="small"
          checked={showClosed}
          onChange={setShowClosed}
          aria-label={t('tasks.showClosed')}
        />
        <Typography.Text type="secondary">{t('tasks.showClosed')}</Typography.Text>
        <a href="#/tasks">{t('tasks.queueLink')}</a>
      </Space>
      {creating && <NewTaskModal ticketId={ticketId} onClose={() => setCreating(false)} />}
      <TaskThread task={selected} meId={me.userId} names={names.data} onClose={() => setOpened(null)} />
    </Card>
  );
}

function NewTaskModal({ ticketId, onClose }: { ticketId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const departments = useDepartments();
  const create = useCreateTask(ticketId);
  const [form] = Form.useForm<{ departmentId: string; title: string; description?: string }>();

  const submit = async () => {
    const values = await form.validateFields();
    create.mutate(values, {
      onSuccess: () => {
        void message.success(t('tasks.created'));
        onClose();
      },
      onError: (error) => void message.error(describeError(error, t)),
    });
  };

  return (
    <Modal
      open
      title={t('tasks.new')}
      okText={t('tasks.create')}
      onOk={() => void submit()}
      confirmLoading={create.isPending}
      onCancel={onClose}
    >
      <Form form={form} layout="vertical">
        <Form.Item name="departmentId" label={t('tasks.department')} rules={[{ required: true }]}>
          <Select
            loading={departments.isPending}
            options={(departments.data ?? [])
              .filter((d) => d.isActive)
              .map((d) => ({
                value: d.id,
                label: `${d.name} · ${t('tasks.ola', { hours: +(d.olaMinutes / 60).toFixed(1) })}`,
              }))}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('tasks.title')}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input placeholder={t('tasks.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="description" label={t('tasks.description')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={10_000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
