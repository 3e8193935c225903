import { Alert, Button, Checkbox, Flex, Input, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { send, useAdminMutation } from './useAdmin.ts';

interface RowResult {
  row: number;
  status: 'created' | 'valid' | 'error';
  email: string;
  userId?: string;
  initialPassword?: string;
  error?: { code: string; detail: string };
}

interface ImportReport {
  dryRun: boolean;
  summary: { rows: number; created: number; valid: number; errors: number };
  rows: RowResult[];
}

const EXAMPLE =
  'name,email,role,teams,skills,expiresAt\n' +
  '临时客服 小王,wang@agency.example,outsourced_agent,,,2026-12-13\n';

const STATUS_COLOR: Record<RowResult['status'], string> = { created: 'green', valid: 'blue', error: 'red' };

/**
 * Temporary staff by CSV (POST /users/import): every row is validated, the valid ones created together, and
 * each row's result shown — generated passwords only here, once.
 */
export function ImportSection() {
  const { t } = useTranslation();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const run = useAdminMutation((input: { csv: string; dryRun: boolean }) =>
    send<ImportReport>('POST', `/api/v1/users/import${input.dryRun ? '?dryRun=true' : ''}`, {
      csv: input.csv,
    }),
  );
  const report = run.data;

  return (
    <section aria-labelledby="admin-import">
      <Typography.Title level={3} id="admin-import">
        {t('admin.import.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.import.help')}</Typography.Paragraph>
      <Flex vertical gap={12}>
        <Upload
          accept=".csv,text/csv"
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((text) => {
              setCsv(text);
              setFileName(file.name);
            });
            return false;
          }}
        >
          <Button>{t('admin.import.choose')}</Button>
        </Upload>
        {fileName && <Typography.Text>{t('admin.import.loaded', { name: fileName })}</Typography.Text>}
        <Input.TextArea
          aria-label={t('admin.import.csv')}
          rows={8}
          value={csv}
          placeholder={EXAMPLE}
          onChange={(event) => setCsv(event.target.value)}
          style={{ fontFamily: 'monospace' }}
        />
        <Flex gap={12} align="center">
          <Checkbox checked={dryRun} onChange={(event) => setDryRun(event.target.checked)}>
            {t('admin.import.dryRun')}
          </Checkbox>
          <Button
            type="primary"
            disabled={!csv.trim()}
            loading={run.isPending}
            onClick={() => run.mutate({ csv, dryRun })}
          >
            {t('admin.import.run')}
          </Button>
        </Flex>
        {run.error && <Alert type="error" showIcon message={describeError(run.error, t)} />}
        {report && (
          <div aria-label={t('admin.import.results')}>
            <Flex gap={32} wrap>
              <Statistic title={t('admin.import.rows')} value={report.summary.rows} />
              <Statistic
                title={report.dryRun ? t('admin.import.valid') : t('admin.import.created')}
                value={report.dryRun ? report.summary.valid : report.summary.created}
              />
              <Statistic
                title={t('admin.import.errors')}
                value={report.summary.errors}
                valueStyle={report.summary.errors ? { color: '#cf1322' } : undefined}
              />
            </Flex>
            {!report.dryRun && report.summary.created > 0 && (
              <Alert type="warning" showIcon message={t('admin.import.passwordsOnce')} />
            )}
            <Table<RowResult>
              rowKey="row"
              size="small"
              pagination={false}
              dataSource={report.rows}
              scroll={{ x: 700 }}
              rowClassName={(row) => (row.status === 'error' ? 'import-row-error' : '')}
              columns={[
                { title: t('admin.import.row'), dataIndex: 'row', width: 70 },
                {
                  title: t('admin.import.status'),
                  dataIndex: 'status',
                  render: (status: RowResult['status']) => (
                    <Tag color={STATUS_COLOR[status]}>{t(`admin.import.statuses.${status}`)}</Tag>
                  ),
                },
                { title: t('admin.users.email'), dataIndex: 'email' },
                {
                  title: t('admin.import.detail'),
                  render: (_, row) =>
                    row.error ? (
                      <span>
                        <Typography.Text code>{row.error.code}</Typography.Text> {row.error.detail}
                      </span>
                    ) : row.initialPassword ? (
                      <span>
                        {t('admin.import.initialPassword')}{' '}
                        <Typography.Text code copyable>
                          {row.initialPassword}
                        </Typography.Text>
                      </span>
                    ) : null,
                },
              ]}
            />
          </div>
        )}
      </Flex>
    </section>
  );
}
