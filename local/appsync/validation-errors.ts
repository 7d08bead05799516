/**
 * A document that does not parse or validate, answered as AppSync answers it: HTTP 200,
 * `data: null`, and errors with `path: null`, `locations` and a message in graphql-java's words
 * (AppSync runs graphql-java): `Validation error of type <Type>: <description>`, and no
 * `errorType`. The AppSync team's own account of its HTTP behaviour shows it:
 *
 *   {"data":null,"errors":[{"path":null,"locations":[{"line":1,"column":2,"sourceName":null}],
 *    "message":"Validation error of type FieldUndefined: Field 'badfield' in type 'Query' is undefined @ 'badfield'"}]}
 *
 * (https://github.com/graphql/graphql-over-http/issues/81, and the same shape in client reports
 * such as aws-amplify/learn#417.) The validation itself is graphql-js's; its messages are
 * mapped to graphql-java's error types by their (stable) wording. `FieldUndefined` is worded
 * exactly as AppSync words it; other types keep graphql-js's description after the type.
 */
import { GraphQLError, visit, Kind, type DocumentNode, type ASTNode } from 'graphql';

/** One entry of a validation failure, in AppSync's shape (no `errorType`). */
export interface ValidationErrorEntry {
  path: null;
  locations: { line: number; column: number; sourceName: null }[];
  message: string;
}

/** graphql-js message pattern -> graphql-java `ValidationErrorType`. */
const TYPES: [RegExp, string][] = [
  [/^Cannot query field /, 'FieldUndefined'],
  [/^Unknown type /, 'UnknownType'],
  [/^Unknown argument /, 'UnknownArgument'],
  [/^Field ".*" argument ".*" of type ".*" is required/, 'MissingFieldArgument'],
  [/must have a selection of subfields/, 'SubSelectionRequired'],
  [/must not have a selection since type/, 'SubSelectionNotAllowed'],
  [/conflict because/, 'FieldsConflict'],
  [/^Unknown fragment /, 'UndefinedFragment'],
  [/^Fragment ".*" is never used/, 'UnusedFragment'],
  [/^Variable ".*" is never used/, 'UnusedVariable'],
  [/^Variable ".*" is not defined/, 'UndefinedVariable'],
  [/used in position expecting type/, 'VariableTypeMismatch'],
  [/^There can be only one operation named/, 'DuplicateOperationName'],
  [/^There can be only one fragment named/, 'DuplicateFragmentName'],
  [/^There can be only one argument named/, 'DuplicateArgumentNames'],
  [/^There can be only one variable named/, 'DuplicateVariableName'],
  [/^This anonymous operation must be the only defined operation/, 'LoneAnonymousOperationViolation'],
  [/^Cannot spread fragment ".*" within itself/, 'FragmentCycle'],
  [/^Fragment .* cannot be spread here/, 'InvalidFragmentType'],
  [/cannot be used as an input type|cannot be non-input type/, 'NonInputTypeOnVariable'],
  [/^Unknown directive /, 'UnknownDirective'],
  [/can only be used once at this location/, 'DuplicateDirectiveName'],
  [/^Directive ".*" may not be used on/, 'MisplacedDirective'],
  [/^Expected value of type|cannot represent|^Expected type|does not exist in ".*" enum/, 'WrongType'],
  [/introspection depth/, 'MaxIntrospectionDepth'],
];

/** The AppSync shape of the errors of a document that did not parse or validate. */
export function toValidationErrors(errors: readonly GraphQLError[], document?: DocumentNode): ValidationErrorEntry[] {
  return errors.map((error) => ({
    path: null,
    locations: (error.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null })),
    message: validationMessage(error, document),
  }));
}

/**
 * graphql-java's wording of one error. Syntax errors read `Invalid Syntax : <description>`;
 * validation errors `Validation error of type <Type>: <description>`.
 */
export function validationMessage(error: GraphQLError, document?: DocumentNode): string {
  if (error.message.startsWith('Syntax Error: ')) return `Invalid Syntax : ${error.message.slice('Syntax Error: '.length)}`;
  if (error.message.startsWith('Validation error of type ')) return error.message;
  const type = TYPES.find(([pattern]) => pattern.test(error.message))?.[1] ?? 'InvalidQuery';
  if (type === 'FieldUndefined') {
    const match = /^Cannot query field "(.+?)" on type "(.+?)"/.exec(error.message)!;
    const path = document && error.nodes?.[0] ? fieldPath(document, error.nodes[0]) : match[1];
    return `Validation error of type FieldUndefined: Field '${match[1]}' in type '${match[2]}' is undefined @ '${path}'`;
  }
  return `Validation error of type ${type}: ${error.message}`;
}

/** A validation error the runtime raises itself (a limit), in the same words. */
export function validationError(type: string, description: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(`Validation error of type ${type}: ${description}`, { nodes });
}

/** The field names from the operation down to `target`, joined with `/` as graphql-java does. */
function fieldPath(document: DocumentNode, target: ASTNode): string {
  let found: string | undefined;
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (found !== undefined) return false;
      if (node !== target) return undefined;
      const names = [...ancestors, node].flatMap((a) => (!Array.isArray(a) && (a as ASTNode).kind === Kind.FIELD ? [(a as { name: { value: string } }).name.value] : []));
      found = names.join('/');
      return false;
    },
  });
  return found ?? '';
}
