"""Fails when modules of a package import each other in a circle, function-local imports included.

    python tools/import_cycles.py thidua

import-linter keeps the layers apart (``[tool.importlinter]`` in pyproject.toml); this finds what
layers cannot: two modules of one layer, or of one package, that need each other. Each circle
found is printed as a chain of modules.
"""

from __future__ import annotations

import sys

import grimp


def import_cycles(package: str) -> list[list[str]]:
    """Every set of modules of ``package`` that import each other in a circle (strongly connected
    components of the import graph with more than one module, or a module importing itself)."""
    graph = grimp.build_graph(package, include_external_packages=False)
    imports = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for start in sorted(imports):
        if start in index:
            continue
        # Tarjan's algorithm without recursion: (module, next import to look at)
        work = [(start, 0)]
        while work:
            module, position = work.pop()
            if position == 0:
                index[module] = lowest[module] = len(index)
                stack.append(module)
                on_stack.add(module)
            targets = imports.get(module, [])
            if position < len(targets):
                work.append((module, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    lowest[module] = min(lowest[module], index[target])
                continue
            if lowest[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in imports.get(module, []):
                    cycles.append(sorted(component))
            if work:
                parent = work[-1][0]
                lowest[parent] = min(lowest[parent], lowest[module])
    return sorted(cycles)


def main(argv: list[str]) -> int:
    package = argv[1] if len(argv) > 1 else "thidua"
    cycles = import_cycles(package)
    for cycle in cycles:
        print("import cycle: " + " <-> ".join(cycle))
    if not cycles:
        print(f"no import cycles in {package}")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
