#!/usr/bin/env python3
"""Lists import cycles between the crate's files: every `crate::a::b` and `super::x` path in a
file (use lines and inline paths alike) is an edge to the deepest file it names. Exit 1 on a cycle.
`mod x;` declarations are not edges (a parent declaring its children is no import)."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "src")
files = {}
for d, _, fs in os.walk(ROOT):
    for f in fs:
        if f.endswith(".rs"):
            p = os.path.relpath(os.path.join(d, f), ROOT)
            mod = p[:-3].split(os.sep)
            if mod[-1] in ("mod", "lib", "main"):
                mod = mod[:-1]
            files[tuple(mod)] = p

def resolve(parts):
    for n in range(len(parts), -1, -1):
        if tuple(parts[:n]) in files:
            return tuple(parts[:n])
    return None

edges = {m: set() for m in files}
for mod, p in files.items():
    src = open(os.path.join(ROOT, p)).read()
    src = re.sub(r"//[^\n]*", "", src)
    is_dir_mod = os.path.basename(p) in ("mod.rs", "lib.rs")
    here = list(mod) if is_dir_mod else list(mod[:-1])
    # `use crate::a::{b, c::d}`: expand one level of braces.
    for m in re.finditer(r"\b(crate|super)((?:::\w+)+)(::\{([^{}]*)\})?", src):
        base = here[:] if m.group(1) == "super" else []
        if m.group(1) == "super" and not is_dir_mod:
            base = list(mod[:-1])
        elif m.group(1) == "super":
            base = list(mod[:-1])
        segs = [s for s in m.group(2).split("::") if s]
        while segs and segs[0] == "super":
            base = base[:-1]; segs = segs[1:]
        heads = [base + segs]
        if m.group(4):
            heads = [base + segs + [x for x in it.strip().split("::") if x and x != "self"]
                     for it in m.group(4).split(",") if it.strip()]
        for h in heads:
            t = resolve(h)
            if t is not None and t != mod:
                edges[mod].add(t)

# Tarjan's strongly connected components.
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1:
            sccs.append(comp)
sys.setrecursionlimit(10000)
for v in edges:
    if v not in index:
        strong(v)
for c in sccs:
    print("cycle:", " <-> ".join(sorted(files[m] for m in c)))
print(f"{len(files)} files, {sum(len(e) for e in edges.values())} edges, {len(sccs)} cycles")
sys.exit(1 if sccs else 0)
