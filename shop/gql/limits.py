"""How big a GraphQL query may be: refused during validation, before any resolver touches the database.

Three measures, through fragments, introspection included: how deeply fields nest, how many fields
are selected, and how many field values the answer could hold at most (each list counted at its
`first`, so `posts(first: 50) { comments(first: 50) ... }` counts 2,500 comments). Besides, a request
makes at most MAX_MUTATIONS changes (aliases would otherwise let one request publish forty posts and
send forty emails), and only administrators may ask for the schema (`__schema`, `__type`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

MAX_QUERY_LENGTH = 20_000  # characters, checked before parsing
MAX_TOKENS = 5_000  # lexical tokens, enforced by the parser
MAX_DEPTH = 8
MAX_FIELDS = 250
MAX_VALUES = 10_000
MAX_MUTATIONS = 5
LIMIT_CODE = "GRAPHQL_VALIDATION_FAILED"
INTROSPECTION = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}
INTROSPECTION_REFUSED = "Only administrators may ask for the schema"


@dataclass
class QueryShape:
    depth: int = 0
    fields: int = 0
    values: int = 0
    introspects: bool = False


def measure(operation: OperationDefinitionNode, root_type, fragments: dict, variables: dict) -> QueryShape:
    shape = QueryShape()
    _walk(operation.selection_set, root_type, 1, 1, shape, fragments, variables, frozenset())
    return shape


def _walk(
    selections: SelectionSetNode, parent, level: int, multiplier: int, shape: QueryShape,
    fragments: dict[str, FragmentDefinitionNode], variables: dict[str, Any], spread_path: frozenset[str],
    in_schema: bool = False,
) -> None:
    """`in_schema`: inside introspection, where depth is the schema's own (`ofType` chains) and is not
    counted; fields and values are."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            if name == "__typename":
                continue  # answered from the type at hand: free
            inside = in_schema or name in INTROSPECTION
            shape.introspects = shape.introspects or name in INTROSPECTION
            shape.fields += 1
            if not inside:
                shape.depth = max(shape.depth, level)
            field = INTROSPECTION.get(name) or _field_of(parent, name)
            count = multiplier * (_first(field, selection, variables) if field else 1)
            shape.values += count
            if selection.selection_set and field:
                _walk(selection.selection_set, get_named_type(field.type), level + 1, count, shape, fragments,
                      variables, spread_path, inside)
        elif isinstance(selection, InlineFragmentNode):
            _walk(selection.selection_set, parent, level, multiplier, shape, fragments, variables, spread_path,
                  in_schema)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in spread_path or name not in fragments:
                continue  # a cycle or an unknown fragment: the standard rules report those
            _walk(fragments[name].selection_set, parent, level, multiplier, shape, fragments, variables,
                  spread_path | {name}, in_schema)


def _top_level_fields(selections: SelectionSetNode, fragments: dict, spread_path: frozenset[str]) -> int:
    """How many fields an operation selects at its root, through fragments (each alias counts)."""
    count = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            count += selection.name.value != "__typename"
        elif isinstance(selection, InlineFragmentNode):
            count += _top_level_fields(selection.selection_set, fragments, spread_path)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments \
                and selection.name.value not in spread_path:
            name = selection.name.value
            count += _top_level_fields(fragments[name].selection_set, fragments, spread_path | {name})
    return count


def _field_of(parent, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        return parent.fields.get(name)
    return None


def _first(field: GraphQLField, node: FieldNode, variables: dict[str, Any]) -> int:
    """How many items a field can return: its `first` as asked, else as defaulted; 1 without one."""
    if "first" not in field.args:
        return 1
    for argument in node.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(int(value.value), 1)
        if isinstance(value, VariableNode) and isinstance(variables.get(value.name.value), int):
            return max(variables[value.name.value], 1)
    default = field.args["first"].default_value
    return default if isinstance(default, int) else 1


def limits_rule(variables: dict[str, Any] | None, *, may_introspect: bool = False) -> type[ValidationRule]:
    """A validation rule refusing operations beyond the limits, for one request's variables and caller."""

    class QueryLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_):
            schema = self.context.schema
            root = schema.get_root_type(node.operation)
            fragments = {
                d.name.value: d for d in self.context.document.definitions if isinstance(d, FragmentDefinitionNode)
            }
            shape = measure(node, root, fragments, variables or {})
            if shape.introspects and not may_introspect:
                self.report_error(GraphQLError(INTROSPECTION_REFUSED, node, extensions={"code": LIMIT_CODE}))
            if node.operation == OperationType.MUTATION:
                changes = _top_level_fields(node.selection_set, fragments, frozenset())
                if changes > MAX_MUTATIONS:
                    self.report_error(GraphQLError(
                        f"The request makes {changes} changes; at most {MAX_MUTATIONS} are allowed in one request",
                        node, extensions={"code": LIMIT_CODE}))
            for seen, limit, what in (
                (shape.depth, MAX_DEPTH, "nests fields {seen} levels deep; at most {limit} levels are allowed"),
                (shape.fields, MAX_FIELDS, "selects {seen} fields; at most {limit} are allowed"),
                (shape.values, MAX_VALUES, "could return {seen:,} values; at most {limit:,} are allowed"),
            ):
                if seen > limit:
                    self.report_error(GraphQLError(
                        "The query " + what.format(seen=seen, limit=limit), node, extensions={"code": LIMIT_CODE}
                    ))
            return self.SKIP

    return QueryLimits
