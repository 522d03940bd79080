#!/usr/bin/python3
"""Reads docs/openapi.yaml with a real YAML parser (the conformance test in
tests/unit/http reads it with its own small reader, which once let a lost closing quote
through) and checks what a client generator needs: an OpenAPI 3.1 document whose every
operation has responses and whose every $ref names a component that exists.

Usage: check_openapi_yaml.py <openapi.yaml>. Exits 1 naming each problem."""

import sys

import yaml

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def refs(node, where):
    """Yields (where, ref) for every $ref under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs(value, f"{where}/{i}")


def resolves(document, ref):
    if not ref.startswith("#/"):
        return False
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def problems(document):
    if not isinstance(document, dict):
        yield "the document is not a mapping"
        return
    if not str(document.get("openapi", "")).startswith("3.1"):
        yield f"openapi is {document.get('openapi')!r}, not 3.1.x"
    paths = document.get("paths")
    if not isinstance(paths, dict) or not paths:
        yield "no paths"
        return
    for path, item in paths.items():
        if not path.startswith("/"):
            yield f"path {path!r} does not start with /"
        for method, operation in (item or {}).items():
            if method in METHODS and not (operation or {}).get("responses"):
                yield f"{method.upper()} {path} has no responses"
    for where, ref in refs(document, "#"):
        if not resolves(document, ref):
            yield f"{where}: $ref {ref!r} names nothing"


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            document = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        print(f"{argv[1]}: not readable as YAML: {e}", file=sys.stderr)
        return 1
    found = list(problems(document))
    for p in found:
        print(f"{argv[1]}: {p}", file=sys.stderr)
    if not found:
        print(f"{argv[1]}: valid YAML, {len(document['paths'])} paths, every $ref resolves")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
