import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from './shortcuts.ts';

/** The "?" dialog listing the workspace's keyboard shortcuts. */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('workspace.shortcuts.title')}>
      <Table
        size="small"
        pagination={false}
        rowKey={([key]) => key}
        dataSource={[...SHORTCUTS]}
        columns={[
          {
            title: t('workspace.shortcuts.key'),
            render: (_, [key]) => <Typography.Text keyboard>{key}</Typography.Text>,
            width: 100,
          },
          {
            title: t('workspace.shortcuts.action'),
            render: (_, [, action]) => t(`workspace.shortcuts.${action}`),
          },
        ]}
      />
    </Modal>
  );
}
