import type { ApiDefinition } from './types.ts';

/**
 * SecureTask's API, described once. `local/` serves it; `cdk/` deploys it.
 *
 * Resolver code lives in `resolvers/<Type>.<field>.ts`; pipeline functions in
 * `resolvers/functions/`. Lambda handlers live in `functions/`.
 */
export const api: ApiDefinition = {
  name: 'securetask',
  schema: 'schema.graphql',

  tables: {
    Users: {
      partitionKey: { name: 'id', type: 'S' },
      globalIndexes: [{ name: 'byEmail', partitionKey: { name: 'email', type: 'S' } }],
      // A deleted user's images are erased by the userErasure function, driven by this stream.
      stream: 'NEW_AND_OLD_IMAGES',
    },
    // Identity verification sessions. Images live in the image bucket under uploads/<id>/.
    VerificationSessions: {
      partitionKey: { name: 'id', type: 'S' },
      globalIndexes: [
        // Open sessions by when they expire: the sweeper's work list, the review queue's order.
        { name: 'byState', partitionKey: { name: 'state', type: 'S' }, sortKey: { name: 'expiresAt', type: 'N' } },
        // One person's sessions, for erasure.
        { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
      ],
      // Finished sessions (no images left) are kept for the audit trail, then removed.
      timeToLiveAttribute: 'purgeAt',
    },
    // One item per live reference image that served a verification session, keyed by its SHA-256:
    // the same image is never accepted twice. Kept as long as session records, then removed.
    LivenessReferences: {
      partitionKey: { name: 'hash', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    // Attempt counters per email and per source address, one fixed window each.
    RateLimits: {
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    // Boards: name, key prefix, settings, the counter their task keys are numbered from
    // (`taskCount`), archivedAt. Few enough that the installation admins' list is a scan.
    Boards: {
      partitionKey: { name: 'id', type: 'S' },
    },
    // One item per key prefix (OPS -> its board), written with the board: prefixes are unique.
    BoardKeys: {
      partitionKey: { name: 'key', type: 'S' },
    },
    // Who is on which board, with what board role; read both ways: a board's members (the table),
    // a person's boards (byUser, which the authorizer reads into the request).
    BoardMembers: {
      partitionKey: { name: 'boardId', type: 'S' },
      sortKey: { name: 'userId', type: 'S' },
      globalIndexes: [{ name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'boardId', type: 'S' } }],
    },
    // Read-only wall-screen tokens, one board each; the authorizer checks the one a token names.
    DashboardTokens: {
      partitionKey: { name: 'id', type: 'S' },
      globalIndexes: [{ name: 'byBoard', partitionKey: { name: 'boardId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } }],
    },
    Tasks: {
      partitionKey: { name: 'id', type: 'S' },
      // Every task sits on one board (`board`); the board index lists it newest first without a scan.
      // Every filter of `tasks` starts from one of these; other filter fields narrow that page.
      globalIndexes: [
        {
          name: 'byBoard',
          partitionKey: { name: 'board', type: 'S' },
          sortKey: { name: 'createdAt', type: 'S' },
        },
        // One column of one board in card order: `column` is "<board>#<status>" (rules/task-rules.ts).
        { name: 'byColumn', partitionKey: { name: 'column', type: 'S' }, sortKey: { name: 'rank', type: 'S' } },
        // One person's tasks (myTasks; filter.assigneeId, narrowed to the board), newest first; unassigned tasks are not in it.
        { name: 'byAssignee', partitionKey: { name: 'assigneeId', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' } },
        // Tasks by due date (filter.dueBefore); sparse: tasks without a due date are not in it.
        { name: 'byDue', partitionKey: { name: 'board', type: 'S' }, sortKey: { name: 'dueDate', type: 'S' } },
      ],
      stream: 'NEW_AND_OLD_IMAGES',
    },
    // One entry per successful task write, keyed by the version it produced; kept after deletion.
    // Each entry carries its board (`boardId`), which the history query is narrowed to.
    TaskHistory: {
      partitionKey: { name: 'taskId', type: 'S' },
      sortKey: { name: 'version', type: 'N' },
    },
    // A task's comments in order: ids are ULIDs, so the sort key is the time order. Each carries its
    // board. New comments are notified (mentions, assignee, creator), edited ones to the people
    // they newly mention, by the commentNotifier function, driven by this stream; live comments go
    // out as the comment mutations' own answers.
    Comments: {
      partitionKey: { name: 'taskId', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      stream: 'NEW_IMAGE',
    },
    // Sensitive actions. `scope` is one constant so the whole log reads in time order.
    AuditLog: {
      partitionKey: { name: 'id', type: 'S' },
      globalIndexes: [
        { name: 'byTime', partitionKey: { name: 'scope', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
        { name: 'byActor', partitionKey: { name: 'actorId', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
        { name: 'byAction', partitionKey: { name: 'action', type: 'S' }, sortKey: { name: 'at', type: 'S' } },
      ],
    },
    // Pending invitations by email; DynamoDB's TTL removes expired ones (resolvers check expiry too).
    // New invitations are emailed by the invitationMailer function, driven by this stream.
    Invitations: {
      partitionKey: { name: 'email', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
      stream: 'NEW_AND_OLD_IMAGES',
    },
    // The dashboard counters, one item per board, kept by the boardStats function.
    BoardStats: {
      partitionKey: { name: 'id', type: 'S' },
    },
    // Every task change as an event, in order per board: what clients catch up from.
    TaskEvents: {
      partitionKey: { name: 'board', type: 'S' },
      sortKey: { name: 'sequence', type: 'N' },
      timeToLiveAttribute: 'expiresAt',
    },
    // The event sequence counter of each board, one marker per stream record so a retried batch
    // never numbers (or publishes) the same change twice, and the record of the migrations run.
    EventLedger: {
      partitionKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
    Notifications: {
      partitionKey: { name: 'userId', type: 'S' },
      sortKey: { name: 'id', type: 'S' },
      timeToLiveAttribute: 'expiresAt',
    },
  },

  images: { name: 'images', uploadsPrefix: 'uploads/', uploadsExpireDays: 1, facesPrefix: 'faces/' },

  topics: {
    TaskEvents: { description: 'Every change of a task, in order, for live updates and notifications' },
  },

  functions: {
    // Every verification field of the API: sessions, uploads, liveness checks, face comparison, reading the ID, review, tokens.
    verification: {
      entry: 'functions/verification/handler.ts',
      tables: [
        { table: 'VerificationSessions', access: 'readWrite' },
        { table: 'RateLimits', access: 'readWrite' },
        { table: 'Users', access: 'readWrite' },
        { table: 'Invitations', access: 'readWrite' },
        { table: 'AuditLog', access: 'append' },
        // Add-only: a reference image's hash is written once, conditionally, and never changed.
        { table: 'LivenessReferences', access: 'append' },
        // A verified person joins the boards their invitation names.
        { table: 'BoardMembers', access: 'readWrite' },
      ],
      images: 'readWrite',
      services: ['faces', 'liveness', 'documents', 'email', 'signTokens'],
      settings: ['adminEmails', 'verificationPolicy'],
      // The same-picture check decodes the two faces it compares.
      nativeModules: ['sharp'],
      timeoutSeconds: 30,
    },
    // Expires sessions nobody finished (or reviewed) and deletes their images.
    verificationSweeper: {
      entry: 'functions/verification-sweeper/handler.ts',
      tables: [
        { table: 'VerificationSessions', access: 'readWrite' },
        { table: 'AuditLog', access: 'append' },
      ],
      images: 'readWrite',
      settings: ['verificationPolicy'],
      triggers: [{ kind: 'SCHEDULE', everyMinutes: 5 }],
      timeoutSeconds: 60,
    },
    // A deleted user's reference face and every image and session of theirs: erased.
    userErasure: {
      entry: 'functions/user-erasure/handler.ts',
      tables: [
        { table: 'VerificationSessions', access: 'readWrite' },
        { table: 'AuditLog', access: 'append' },
      ],
      images: 'readWrite',
      triggers: [{ kind: 'TABLE_STREAM', table: 'Users', batchSize: 25, retryAttempts: 10, bisectBatchOnError: true, batchingWindowSeconds: 0, reportBatchItemFailures: false }],
      timeoutSeconds: 60,
    },
    // Each new invitation, by email.
    invitationMailer: {
      entry: 'functions/invitation-mailer/handler.ts',
      services: ['email'],
      triggers: [{ kind: 'TABLE_STREAM', table: 'Invitations', batchSize: 25, retryAttempts: 10, bisectBatchOnError: true, batchingWindowSeconds: 0, reportBatchItemFailures: false }],
      timeoutSeconds: 30,
    },
    // Session tokens (the user's status and board memberships) and dashboard tokens (their record).
    authorizer: {
      entry: 'functions/authorizer/handler.ts',
      tables: [
        { table: 'Users', access: 'read' },
        { table: 'BoardMembers', access: 'read' },
        { table: 'DashboardTokens', access: 'read' },
      ],
      timeoutSeconds: 10,
    },
    // Mints dashboard tokens (createDashboardToken): signs, and records the token's id for revocation.
    dashboardTokens: {
      entry: 'functions/dashboard-tokens/handler.ts',
      tables: [
        { table: 'DashboardTokens', access: 'readWrite' },
        { table: 'BoardMembers', access: 'read' },
        { table: 'Boards', access: 'read' },
        { table: 'AuditLog', access: 'append' },
      ],
      services: ['signTokens'],
      timeoutSeconds: 10,
    },
    // Brings data made before boards onto the board `main`, once per deploy (idempotent).
    boardsMigration: {
      entry: 'functions/boards-migration/handler.ts',
      tables: [
        { table: 'Boards', access: 'readWrite' },
        { table: 'BoardKeys', access: 'readWrite' },
        { table: 'BoardMembers', access: 'readWrite' },
        { table: 'Users', access: 'read' },
        { table: 'Tasks', access: 'readWrite' },
        { table: 'TaskHistory', access: 'readWrite' },
        { table: 'Comments', access: 'readWrite' },
        { table: 'Notifications', access: 'readWrite' },
        { table: 'Invitations', access: 'readWrite' },
        { table: 'EventLedger', access: 'readWrite' },
      ],
      triggers: [{ kind: 'DEPLOY' }],
      timeoutSeconds: 900,
    },
    taskStream: {
      entry: 'functions/task-stream/handler.ts',
      tables: [
        { table: 'TaskEvents', access: 'readWrite' },
        { table: 'EventLedger', access: 'readWrite' },
      ],
      publishes: ['TaskEvents'],
      // Batches of up to 100 changes, as soon as a poll finds them (a window would add its length
      // to every change's way to the screen); a record it cannot finish is reported, so a retry
      // starts there and a poison record ends up alone in the on-failure queue.
      triggers: [{ kind: 'TABLE_STREAM', table: 'Tasks', batchSize: 100, retryAttempts: 10, bisectBatchOnError: true, batchingWindowSeconds: 0, reportBatchItemFailures: true }],
      timeoutSeconds: 30,
    },
    taskEventPublisher: {
      entry: 'functions/task-event-publisher/handler.ts',
      callsApi: ['Mutation.publishTaskEvent'],
      triggers: [{ kind: 'TOPIC', topic: 'TaskEvents' }],
      timeoutSeconds: 30,
    },
    // Tasks stream -> dashboard counters (once per stream record) -> publishBoardStats.
    boardStats: {
      entry: 'functions/board-stats/handler.ts',
      tables: [
        { table: 'BoardStats', access: 'readWrite' },
        { table: 'EventLedger', access: 'readWrite' },
      ],
      callsApi: ['Mutation.publishBoardStats'],
      // The dashboard's figures may lag a second: a one-second window gathers bigger batches
      // (one counter transaction and one publish each) under load.
      triggers: [{ kind: 'TABLE_STREAM', table: 'Tasks', batchSize: 100, retryAttempts: 10, bisectBatchOnError: true, batchingWindowSeconds: 1, reportBatchItemFailures: false }],
      timeoutSeconds: 30,
    },
    notifier: {
      entry: 'functions/notifier/handler.ts',
      tables: [
        { table: 'Notifications', access: 'readWrite' },
        { table: 'Users', access: 'read' },
      ],
      callsApi: ['Mutation.publishNotification'],
      services: ['email'],
      triggers: [{ kind: 'TOPIC', topic: 'TaskEvents' }],
      timeoutSeconds: 30,
    },
    // A new comment -> the people it mentions, the task's assignee and creator (members of its
    // board only), in the app and by email; an edited one -> the people it newly mentions. It
    // keeps on each comment who was told of a mention (`mentionsNotified`).
    commentNotifier: {
      entry: 'functions/comment-notifier/handler.ts',
      tables: [
        { table: 'Comments', access: 'readWrite' },
        { table: 'Notifications', access: 'readWrite' },
        { table: 'Tasks', access: 'read' },
        { table: 'Users', access: 'read' },
        { table: 'BoardMembers', access: 'read' },
      ],
      callsApi: ['Mutation.publishNotification'],
      services: ['email'],
      triggers: [{ kind: 'TABLE_STREAM', table: 'Comments', batchSize: 25, retryAttempts: 10, bisectBatchOnError: true, batchingWindowSeconds: 0, reportBatchItemFailures: false }],
      timeoutSeconds: 30,
    },
    // Open tasks due today or tomorrow -> their assignee, once per due date.
    dueNotifier: {
      entry: 'functions/due-notifier/handler.ts',
      tables: [
        { table: 'Notifications', access: 'readWrite' },
        { table: 'Boards', access: 'read' },
        { table: 'Tasks', access: 'read' },
        { table: 'Users', access: 'read' },
        { table: 'EventLedger', access: 'readWrite' },
      ],
      callsApi: ['Mutation.publishNotification'],
      services: ['email'],
      triggers: [{ kind: 'SCHEDULE', everyMinutes: 60 }],
      timeoutSeconds: 60,
    },
  },

  dataSources: {
    // User admin writes the user (or invitation) and its audit entry in one transaction; erasing a
    // user takes their board memberships too.
    UsersTable: { kind: 'DYNAMODB', table: 'Users', transactTables: ['Invitations', 'AuditLog', 'Boards', 'BoardMembers'] },
    // A board, its key, its first admin and the audit entry: one transaction.
    BoardsTable: { kind: 'DYNAMODB', table: 'Boards', transactTables: ['BoardKeys', 'BoardMembers', 'AuditLog'] },
    // A membership change checks the user and the board and is audited in the same transaction.
    BoardMembersTable: { kind: 'DYNAMODB', table: 'BoardMembers', transactTables: ['Users', 'Boards', 'AuditLog'] },
    // A task write, its history entry, the writer's and assignee's memberships, the board's state
    // and the audit entry: one transaction.
    TasksTable: { kind: 'DYNAMODB', table: 'Tasks', transactTables: ['TaskHistory', 'AuditLog', 'Users', 'BoardMembers', 'Boards'] },
    TaskHistoryTable: { kind: 'DYNAMODB', table: 'TaskHistory' },
    // A new comment checks its task's board and the writer's membership in the same transaction.
    CommentsTable: { kind: 'DYNAMODB', table: 'Comments', transactTables: ['Tasks', 'BoardMembers'] },
    InvitationsTable: { kind: 'DYNAMODB', table: 'Invitations' },
    DashboardTokensTable: { kind: 'DYNAMODB', table: 'DashboardTokens', transactTables: ['AuditLog', 'BoardMembers'] },
    DashboardTokensFunction: { kind: 'LAMBDA', function: 'dashboardTokens' },
    AuditLogTable: { kind: 'DYNAMODB', table: 'AuditLog' },
    BoardStatsTable: { kind: 'DYNAMODB', table: 'BoardStats' },
    TaskEventsTable: { kind: 'DYNAMODB', table: 'TaskEvents' },
    NotificationsTable: { kind: 'DYNAMODB', table: 'Notifications' },
    VerificationFunction: { kind: 'LAMBDA', function: 'verification' },
    None: { kind: 'NONE' },
  },

  pipelineFunctions: {
    readTask: { code: 'resolvers/functions/readTask.ts', dataSource: 'TasksTable' },
    readTasks: { code: 'resolvers/functions/readTasks.ts', dataSource: 'TasksTable' },
    readBoard: { code: 'resolvers/functions/readBoard.ts', dataSource: 'BoardsTable' },
    takeTaskNumber: { code: 'resolvers/functions/takeTaskNumber.ts', dataSource: 'BoardsTable' },
    writeTaskCreate: { code: 'resolvers/functions/writeTaskCreate.ts', dataSource: 'TasksTable' },
    writeTaskUpdate: { code: 'resolvers/functions/writeTaskUpdate.ts', dataSource: 'TasksTable' },
    writeTaskDelete: { code: 'resolvers/functions/writeTaskDelete.ts', dataSource: 'TasksTable' },
    writeTaskMoves: { code: 'resolvers/functions/writeTaskMoves.ts', dataSource: 'TasksTable' },
    readUser: { code: 'resolvers/functions/readUser.ts', dataSource: 'UsersTable' },
    findUserByEmail: { code: 'resolvers/functions/findUserByEmail.ts', dataSource: 'UsersTable' },
    writeInvitation: { code: 'resolvers/functions/writeInvitation.ts', dataSource: 'UsersTable' },
    readInvitation: { code: 'resolvers/functions/readInvitation.ts', dataSource: 'UsersTable' },
    deleteInvitation: { code: 'resolvers/functions/deleteInvitation.ts', dataSource: 'UsersTable' },
    writeInvitationResend: { code: 'resolvers/functions/writeInvitationResend.ts', dataSource: 'UsersTable' },
    writeUserRole: { code: 'resolvers/functions/writeUserRole.ts', dataSource: 'UsersTable' },
    writeUserStatus: { code: 'resolvers/functions/writeUserStatus.ts', dataSource: 'UsersTable' },
    writeUserDelete: { code: 'resolvers/functions/writeUserDelete.ts', dataSource: 'UsersTable' },
    readMemberships: { code: 'resolvers/functions/readMemberships.ts', dataSource: 'BoardMembersTable' },
    readBoards: { code: 'resolvers/functions/readBoards.ts', dataSource: 'BoardsTable' },
    readMembers: { code: 'resolvers/functions/readMembers.ts', dataSource: 'BoardMembersTable' },
    readMemberUsers: { code: 'resolvers/functions/readMemberUsers.ts', dataSource: 'UsersTable' },
    writeBoardMember: { code: 'resolvers/functions/writeBoardMember.ts', dataSource: 'BoardMembersTable' },
  },

  resolvers: {
    'Query.me': { kind: 'UNIT', code: 'resolvers/Query.me.ts', dataSource: 'UsersTable' },
    'Query.myBoards': { kind: 'PIPELINE', code: 'resolvers/Query.myBoards.ts', functions: ['readMemberships', 'readBoards'] },
    'Query.boards': { kind: 'UNIT', code: 'resolvers/Query.boards.ts', dataSource: 'BoardsTable' },
    'Query.board': { kind: 'UNIT', code: 'resolvers/Query.board.ts', dataSource: 'BoardsTable' },
    'Query.boardMembers': { kind: 'PIPELINE', code: 'resolvers/Query.boardMembers.ts', functions: ['readMembers', 'readMemberUsers'] },
    'Mutation.createBoard': { kind: 'UNIT', code: 'resolvers/Mutation.createBoard.ts', dataSource: 'BoardsTable' },
    'Mutation.updateBoard': { kind: 'UNIT', code: 'resolvers/Mutation.updateBoard.ts', dataSource: 'BoardsTable' },
    'Mutation.archiveBoard': { kind: 'UNIT', code: 'resolvers/Mutation.archiveBoard.ts', dataSource: 'BoardsTable' },
    'Mutation.setBoardMember': { kind: 'PIPELINE', code: 'resolvers/Mutation.setBoardMember.ts', functions: ['readUser', 'writeBoardMember'] },
    'Mutation.removeBoardMember': { kind: 'UNIT', code: 'resolvers/Mutation.removeBoardMember.ts', dataSource: 'BoardMembersTable' },
    'Query.dashboardTokens': { kind: 'UNIT', code: 'resolvers/Query.dashboardTokens.ts', dataSource: 'DashboardTokensTable' },
    'Mutation.createDashboardToken': { kind: 'UNIT', code: 'resolvers/Mutation.createDashboardToken.ts', dataSource: 'DashboardTokensFunction' },
    'Mutation.revokeDashboardToken': { kind: 'UNIT', code: 'resolvers/Mutation.revokeDashboardToken.ts', dataSource: 'DashboardTokensFunction' },
    'Query.invitations': { kind: 'UNIT', code: 'resolvers/Query.invitations.ts', dataSource: 'InvitationsTable' },
    'Mutation.resendInvitation': { kind: 'PIPELINE', code: 'resolvers/Mutation.resendInvitation.ts', functions: ['readInvitation', 'writeInvitationResend'] },
    'Query.task': { kind: 'UNIT', code: 'resolvers/Query.task.ts', dataSource: 'TasksTable' },
    'Query.tasks': { kind: 'UNIT', code: 'resolvers/Query.tasks.ts', dataSource: 'TasksTable' },
    'Mutation.createTask': { kind: 'PIPELINE', code: 'resolvers/Mutation.createTask.ts', functions: ['readBoard', 'takeTaskNumber', 'writeTaskCreate'] },
    'Query.myTasks': { kind: 'UNIT', code: 'resolvers/Query.myTasks.ts', dataSource: 'TasksTable' },
    'Query.taskHistory': { kind: 'UNIT', code: 'resolvers/Query.taskHistory.ts', dataSource: 'TaskHistoryTable' },
    'Query.comments': { kind: 'UNIT', code: 'resolvers/Query.comments.ts', dataSource: 'CommentsTable' },
    'Query.users': { kind: 'UNIT', code: 'resolvers/Query.users.ts', dataSource: 'UsersTable' },
    'Query.teammates': { kind: 'PIPELINE', code: 'resolvers/Query.teammates.ts', functions: ['readMembers', 'readMemberUsers'] },
    'Query.auditLog': { kind: 'UNIT', code: 'resolvers/Query.auditLog.ts', dataSource: 'AuditLogTable' },
    'Query.boardStats': { kind: 'UNIT', code: 'resolvers/Query.boardStats.ts', dataSource: 'BoardStatsTable' },
    'Mutation.updateTask': { kind: 'PIPELINE', code: 'resolvers/Mutation.updateTask.ts', functions: ['readTask', 'writeTaskUpdate'] },
    'Mutation.deleteTask': { kind: 'PIPELINE', code: 'resolvers/Mutation.deleteTask.ts', functions: ['readTask', 'writeTaskDelete'] },
    'Mutation.moveTasks': { kind: 'PIPELINE', code: 'resolvers/Mutation.moveTasks.ts', functions: ['readTasks', 'writeTaskMoves'] },
    'Mutation.addComment': { kind: 'UNIT', code: 'resolvers/Mutation.addComment.ts', dataSource: 'CommentsTable' },
    'Mutation.editComment': { kind: 'UNIT', code: 'resolvers/Mutation.editComment.ts', dataSource: 'CommentsTable' },
    'Mutation.deleteComment': { kind: 'UNIT', code: 'resolvers/Mutation.deleteComment.ts', dataSource: 'CommentsTable' },
    'Mutation.inviteUser': { kind: 'PIPELINE', code: 'resolvers/Mutation.inviteUser.ts', functions: ['findUserByEmail', 'writeInvitation'] },
    'Mutation.revokeInvitation': { kind: 'PIPELINE', code: 'resolvers/Mutation.revokeInvitation.ts', functions: ['readInvitation', 'deleteInvitation'] },
    'Mutation.setUserRole': { kind: 'PIPELINE', code: 'resolvers/Mutation.setUserRole.ts', functions: ['readUser', 'writeUserRole'] },
    'Mutation.setUserStatus': { kind: 'PIPELINE', code: 'resolvers/Mutation.setUserStatus.ts', functions: ['readUser', 'writeUserStatus'] },
    'Mutation.deleteUser': { kind: 'PIPELINE', code: 'resolvers/Mutation.deleteUser.ts', functions: ['readUser', 'writeUserDelete'] },
    'Query.verification': { kind: 'UNIT', code: 'resolvers/Query.verification.ts', dataSource: 'VerificationFunction' },
    'Query.verificationsForReview': { kind: 'UNIT', code: 'resolvers/Query.verificationsForReview.ts', dataSource: 'VerificationFunction' },
    'Mutation.startVerification': { kind: 'UNIT', code: 'resolvers/Mutation.startVerification.ts', dataSource: 'VerificationFunction' },
    'Mutation.startFaceLogin': { kind: 'UNIT', code: 'resolvers/Mutation.startFaceLogin.ts', dataSource: 'VerificationFunction' },
    'Mutation.requestUpload': { kind: 'UNIT', code: 'resolvers/Mutation.requestUpload.ts', dataSource: 'VerificationFunction' },
    'Mutation.startLivenessCheck': { kind: 'UNIT', code: 'resolvers/Mutation.startLivenessCheck.ts', dataSource: 'VerificationFunction' },
    'Mutation.submitVerification': { kind: 'UNIT', code: 'resolvers/Mutation.submitVerification.ts', dataSource: 'VerificationFunction' },
    'Mutation.cancelVerification': { kind: 'UNIT', code: 'resolvers/Mutation.cancelVerification.ts', dataSource: 'VerificationFunction' },
    'Mutation.reviewVerification': { kind: 'UNIT', code: 'resolvers/Mutation.reviewVerification.ts', dataSource: 'VerificationFunction' },
    'Mutation.signOut': { kind: 'UNIT', code: 'resolvers/Mutation.signOut.ts', dataSource: 'UsersTable' },
    'Mutation.publishBoardStats': { kind: 'UNIT', code: 'resolvers/Mutation.publishBoardStats.ts', dataSource: 'None' },
    // Subscriptions read the subscriber's membership when they start: a removed member is refused at once.
    'Subscription.onBoardStats': { kind: 'UNIT', code: 'resolvers/Subscription.onBoardStats.ts', dataSource: 'BoardMembersTable' },
    'Subscription.onComment': { kind: 'UNIT', code: 'resolvers/Subscription.onComment.ts', dataSource: 'BoardMembersTable' },
    'Query.taskEvents': { kind: 'UNIT', code: 'resolvers/Query.taskEvents.ts', dataSource: 'TaskEventsTable' },
    'Query.lastTaskEventSequence': { kind: 'UNIT', code: 'resolvers/Query.lastTaskEventSequence.ts', dataSource: 'TaskEventsTable' },
    'Query.notifications': { kind: 'UNIT', code: 'resolvers/Query.notifications.ts', dataSource: 'NotificationsTable' },
    'Mutation.publishTaskEvent': { kind: 'UNIT', code: 'resolvers/Mutation.publishTaskEvent.ts', dataSource: 'None' },
    'Mutation.publishNotification': { kind: 'UNIT', code: 'resolvers/Mutation.publishNotification.ts', dataSource: 'None' },
    'Subscription.onTaskEvent': { kind: 'UNIT', code: 'resolvers/Subscription.onTaskEvent.ts', dataSource: 'BoardMembersTable' },
    'Subscription.onNotification': { kind: 'UNIT', code: 'resolvers/Subscription.onNotification.ts', dataSource: 'None' },
  },

  authModes: [
    {
      type: 'AWS_LAMBDA',
      function: 'authorizer',
      // A compact JWS, optionally behind "Bearer ". Anything else never reaches the Lambda.
      identityValidationExpression: '^(Bearer )?[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    },
    { type: 'API_KEY', expiresInDays: 365 },
    { type: 'AWS_IAM' },
  ],

  // The browser streams its liveness video to Rekognition with credentials that can do that alone,
  // for the shortest time STS allows; the liveness session itself lives 3 minutes.
  liveness: {
    browserActions: ['rekognition:StartFaceLivenessSession'],
    credentialSeconds: 900,
  },

  resolverEnvironment: {},

  // The deepest legitimate query is 4 levels (taskEvents { items { task { id } } }); a request
  // runs one resolver per root field here, so 25 leaves room for a dashboard's batch.
  limits: { queryDepth: 8, resolverCount: 25 },
};
