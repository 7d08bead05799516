import { dynamodb } from '../shared/aws-clients.ts';
import { requiredEnv } from '../shared/env.ts';
import { createLogger } from '../shared/logger.ts';
import { migrateToBoards } from './migrate.ts';

const log = createLogger('boards-migration');

/** A CloudFormation custom resource event (through the CDK Provider framework), or the local runtime's start. */
interface DeployEvent {
  RequestType?: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
}

/**
 * Runs the boards migration (see `migrateToBoards`) once per deploy: in AWS as a custom resource
 * on create and update (a delete of the stack migrates nothing), locally when `start` begins. It
 * is idempotent, so a deploy that runs it again, or a run after a crash, is safe.
 */
export async function handler(event: DeployEvent = {}) {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? 'boards-migration' };
  const report = await migrateToBoards(dynamodb(), {
    boards: requiredEnv('BOARDS_TABLE'),
    boardKeys: requiredEnv('BOARD_KEYS_TABLE'),
    boardMembers: requiredEnv('BOARD_MEMBERS_TABLE'),
    users: requiredEnv('USERS_TABLE'),
    tasks: requiredEnv('TASKS_TABLE'),
    taskHistory: requiredEnv('TASK_HISTORY_TABLE'),
    comments: requiredEnv('COMMENTS_TABLE'),
    notifications: requiredEnv('NOTIFICATIONS_TABLE'),
    invitations: requiredEnv('INVITATIONS_TABLE'),
    ledger: requiredEnv('EVENT_LEDGER_TABLE'),
  });
  if (!report.skipped) log.info('migrated', { ...report });
  return { PhysicalResourceId: 'boards-migration', Data: { skipped: String(report.skipped) } };
}
