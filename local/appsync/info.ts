import { Kind, print, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** `ctx.info` as AppSync builds it. */
export interface AppSyncInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

/**
 * Builds `ctx.info`: `selectionSetList` holds each selected field path below the current field
 * (`items`, `items/id`), fragments flattened, `__typename` left out; `selectionSetGraphQL` is the
 * selection set as written.
 */
export function appSyncInfo(info: GraphQLResolveInfo): AppSyncInfo {
  const field = info.fieldNodes[0];
  let selection = selections.get(field);
  if (!selection) selections.set(field, (selection = selectionOf(field, info.fragments)));
  return {
    fieldName: info.fieldName,
    parentTypeName: info.parentType.name,
    variables: info.variableValues,
    selectionSetList: selection.list,
    selectionSetGraphQL: selection.text,
  };
}

/** Parsed documents are cached, so their field nodes are too: each selection is read once. */
const selections = new WeakMap<FieldNode, { list: string[]; text: string }>();

function selectionOf(field: FieldNode, fragments: GraphQLResolveInfo['fragments']): { list: string[]; text: string } {
  const list: string[] = [];
  const walk = (set: SelectionSetNode | undefined, prefix: string) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        const name = prefix + selection.name.value;
        if (!list.includes(name)) list.push(name);
        walk(selection.selectionSet, `${name}/`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      } else {
        walk(fragments[selection.name.value]?.selectionSet, prefix);
      }
    }
  };
  walk(field.selectionSet, '');
  return { list: Object.freeze(list) as string[], text: field.selectionSet ? print(field.selectionSet) : '' };
}
