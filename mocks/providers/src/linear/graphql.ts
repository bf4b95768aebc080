import type { LinearAccount } from './index';

/**
 * The slice of Linear's GraphQL API (https://linear.app/developers/graphql) that reads who a
 * token belongs to: the `viewer` (a User) and its `organization`, with plain field selections.
 * Anything else — arguments, fragments, variables, an unknown field — is refused with a
 * GraphQL error rather than guessed at, so a client asking for more finds out here.
 */
export interface GraphQlError {
  message: string;
  extensions?: Record<string, unknown>;
}

type Fields = Record<string, (a: LinearAccount) => unknown>;

const TYPES: Record<string, { type: string; fields: Fields }> = {
  viewer: {
    type: 'User',
    fields: {
      id: (a) => a.userId,
      name: (a) => a.name,
      displayName: (a) => a.displayName,
      email: (a) => a.email,
      active: () => true,
      admin: () => true,
      url: (a) => `https://linear.app/${a.urlKey}/profiles/${a.displayName}`,
    },
  },
  organization: {
    type: 'Organization',
    fields: {
      id: (a) => a.organizationId,
      name: (a) => a.organizationName,
      urlKey: (a) => a.urlKey,
    },
  },
};

const syntaxError = (message: string): { errors: GraphQlError[] } => ({
  errors: [{ message: `Syntax Error: ${message}`, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
});

/** `query Name? { a { x y } b { z } }` → `{ a: [x, y], b: [z] }`, or undefined if not of that form. */
function parseSelections(query: string): Map<string, string[]> | undefined {
  const tokens = query.match(/[A-Za-z_][A-Za-z0-9_]*|[{}]|\S/g) ?? [];
  let i = 0;
  if (tokens[i] === 'query') {
    i += 1;
    if (tokens[i] !== '{') i += 1;
  }
  if (tokens[i++] !== '{') return undefined;
  const selections = new Map<string, string[]>();
  while (tokens[i] !== '}') {
    const field = tokens[i++];
    if (field === undefined || !/^[A-Za-z_]/.test(field) || tokens[i++] !== '{') return undefined;
    const sub: string[] = [];
    while (tokens[i] !== '}') {
      const name = tokens[i++];
      if (name === undefined || !/^[A-Za-z_]/.test(name)) return undefined;
      sub.push(name);
    }
    i += 1;
    selections.set(field, sub);
  }
  return i === tokens.length - 1 ? selections : undefined;
}

export function resolveQuery(
  query: string,
  account: LinearAccount,
): { data: Record<string, Record<string, unknown>> } | { errors: GraphQlError[] } {
  const selections = parseSelections(query);
  if (selections === undefined) return syntaxError('the mock reads plain field selections only.');
  const data: Record<string, Record<string, unknown>> = {};
  const errors: GraphQlError[] = [];
  for (const [field, sub] of selections) {
    const type = TYPES[field];
    if (type === undefined) {
      errors.push({ message: `Cannot query field "${field}" on type "Query".` });
      continue;
    }
    const value: Record<string, unknown> = {};
    for (const name of sub) {
      const read = type.fields[name];
      if (read === undefined)
        errors.push({ message: `Cannot query field "${name}" on type "${type.type}".` });
      else value[name] = read(account);
    }
    data[field] = value;
  }
  return errors.length > 0 ? { errors } : { data };
}
