/** The Notion user a consent signs in as, and the workspace the integration lands in. */
export type NotionAccount = {
  userId: string;
  name: string;
  email: string;
  avatarUrl: string | null;
  workspaceId: string;
  workspaceName: string;
  workspaceIcon: string | null;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultNotionAccount: NotionAccount = {
  userId: '5a1b7c3d-0ada-4c0d-9e1a-ace000000001',
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
  avatarUrl: null,
  workspaceId: '8d2e4f6a-0ada-4c0d-9e1a-ace000000002',
  workspaceName: 'Acme Workspace',
  workspaceIcon: null,
};
