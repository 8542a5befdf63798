"""LINE's OpenAPI component schemas turned into plain JSON Schema that a validator can follow.

The OpenAPI files describe polymorphism with `discriminator`: `Message` lists `flex` → `FlexMessage`,
`FlexComponent` lists `text` → `FlexText`, and so on. A JSON Schema validator ignores that keyword, so
validating against `Message` alone would never look at a Flex bubble's contents. Here every schema with a
discriminator becomes a dispatcher (the `type` must be one of the mapping's keys, and each key sends the
instance to its subtype with `if`/`then`), while the subtypes' own `allOf` reference to their base points at
a copy of the base without the discriminator, so the dispatch does not loop back into itself.
"""
import copy
import functools
from pathlib import Path

import yaml

from fake_line import line_rules

OPENAPI_DIR = Path(__file__).resolve().parent / "openapi"
DOCUMENTS = {"messaging-api": "messaging-api.yml", "webhook": "webhook.yml"}
REF_PREFIX = "#/components/schemas/"
BASE_SUFFIX = "__base"


def _name(ref):
    return ref[len(REF_PREFIX):]


def _convert_nullable(node):
    """OpenAPI 3.0's `nullable: true` is JSON Schema's extra "null" type."""
    if isinstance(node, dict):
        if node.pop("nullable", False) and "type" in node:
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _convert_nullable(value)
    elif isinstance(node, list):
        for value in node:
            _convert_nullable(value)


def _dispatcher(discriminator):
    """A schema that checks the discriminating property and hands the instance to the mapped subtype."""
    prop, mapping = discriminator["propertyName"], discriminator["mapping"]
    return {
        "type": "object",
        "required": [prop],
        "properties": {prop: {"enum": sorted(mapping)}},
        "allOf": [{"if": {"properties": {prop: {"const": value}}, "required": [prop]},
                   "then": {"$ref": ref}} for value, ref in mapping.items()],
    }


def _point_subtypes_at_base(schemas, base_name, discriminator):
    """Make each subtype's `allOf: [$ref base]` use the base without dispatch, pinned to its own type value.

    Pinning the value keeps a schema referenced directly (a carousel's `contents` items are `FlexBubble`)
    from accepting another subtype's `type`.
    """
    prop, mapping = discriminator["propertyName"], discriminator["mapping"]
    for target in set(mapping.values()):
        target_name = _name(target)
        subtype = schemas.get(target_name + BASE_SUFFIX, schemas[target_name])
        values = sorted(value for value, ref in mapping.items() if ref == target)
        for part in subtype.get("allOf", []):
            if part.get("$ref") == REF_PREFIX + base_name:
                part["$ref"] = REF_PREFIX + base_name + BASE_SUFFIX
                part["properties"] = {prop: {"enum": values}}


def to_json_schema(components):
    """The components' schemas as JSON Schema (2020-12), discriminators expanded."""
    schemas = copy.deepcopy(components)
    _convert_nullable(schemas)
    discriminators = {name: schema.pop("discriminator") for name, schema in schemas.items()
                      if "discriminator" in schema}
    for name, discriminator in discriminators.items():
        schemas[name + BASE_SUFFIX] = schemas[name]
        schemas[name] = _dispatcher(discriminator)
    for name, discriminator in discriminators.items():
        _point_subtypes_at_base(schemas, name, discriminator)
    return schemas


@functools.cache
def load(document):
    """The named document's component schemas as JSON Schema, with LINE's documented extra rules added."""
    with open(OPENAPI_DIR / DOCUMENTS[document], encoding="utf-8") as handle:
        components = yaml.safe_load(handle)["components"]["schemas"]
    schemas = to_json_schema(components)
    line_rules.apply(document, schemas)
    return schemas


def root_schema(document, schema_name):
    """A standalone schema for one component: refs like `#/components/schemas/X` resolve inside it."""
    schemas = load(document)
    if schema_name not in schemas:
        raise KeyError(f"{document} has no component schema {schema_name!r}")
    return {"$ref": REF_PREFIX + schema_name, "components": {"schemas": schemas}}
