#!/usr/bin/env python3
"""Generate schema_defs.c from the .avsc files.

For each schema: the self-contained JSON (references to types defined in
another .avsc are replaced by that type's full definition at first use, so
a consumer needs no schema registry to parse it), its Parsing Canonical
Form (Avro specification, "Parsing Canonical Form for Schemas") and its
CRC-64-AVRO fingerprint.

usage: gen_schemas.py OUT.c NAME=FILE.avsc [NAME=FILE.avsc ...]
Files are resolved in order, so a schema may only reference earlier ones.
"""
import json
import sys

PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
NAMED = {"record", "enum", "fixed", "error"}
CRC_EMPTY = 0xC15D213AA4D7A795


def fullname(name, namespace):
    if "." in name or not namespace:
        return name
    return namespace + "." + name


class Resolver:
    """Inlines references to named types from other schema files."""

    def __init__(self, library):
        self.library = library  # fullname -> definition (from earlier files)
        self.seen = set()

    def resolve(self, s, ns):
        if isinstance(s, str):
            if s in PRIMITIVES:
                return s
            fn = fullname(s, ns)
            if fn in self.seen:
                return s
            if fn not in self.library:
                raise SystemExit("unknown type %s" % fn)
            lib_def = json.loads(json.dumps(self.library[fn]))
            # The inlined definition must keep its own namespace.
            if "namespace" not in lib_def and "." not in lib_def["name"]:
                lib_def["namespace"] = fn.rsplit(".", 1)[0] if "." in fn else ""
            return self.resolve(lib_def, ns)
        if isinstance(s, list):
            return [self.resolve(b, ns) for b in s]
        t = s["type"]
        out = dict(s)
        if t in NAMED:
            fn = fullname(s["name"], s.get("namespace", ns))
            self.seen.add(fn)
            ns = fn.rsplit(".", 1)[0] if "." in fn else ""
            if t in ("record", "error"):
                out["fields"] = [dict(f, type=self.resolve(f["type"], ns)) for f in s["fields"]]
        elif t == "array":
            out["items"] = self.resolve(s["items"], ns)
        elif t == "map":
            out["values"] = self.resolve(s["values"], ns)
        elif isinstance(t, (dict, list)) or t not in PRIMITIVES:
            return self.resolve(t, ns)
        return out


def collect_names(s, ns, acc):
    if isinstance(s, list):
        for b in s:
            collect_names(b, ns, acc)
        return
    if not isinstance(s, dict):
        return
    t = s["type"]
    if t in NAMED:
        fn = fullname(s["name"], s.get("namespace", ns))
        acc[fn] = s
        ns = fn.rsplit(".", 1)[0] if "." in fn else ""
        for f in s.get("fields", []):
            collect_names(f["type"], ns, acc)
    elif t == "array":
        collect_names(s["items"], ns, acc)
    elif t == "map":
        collect_names(s["values"], ns, acc)
    elif isinstance(t, (dict, list)):
        collect_names(t, ns, acc)


def canonical(s, ns, seen):
    """Parsing Canonical Form: fullnames, only the attributes that matter to
    parsing, in the specified order, no whitespace."""
    if isinstance(s, str):
        if s in PRIMITIVES:
            return json.dumps(s)
        return json.dumps(fullname(s, ns))
    if isinstance(s, list):
        return "[" + ",".join(canonical(b, ns, seen) for b in s) + "]"
    t = s["type"]
    if isinstance(t, (dict, list)):
        return canonical(t, ns, seen)
    if t in PRIMITIVES:
        return json.dumps(t)
    parts = []
    if t in NAMED:
        fn = fullname(s["name"], s.get("namespace", ns))
        if fn in seen:
            return json.dumps(fn)
        seen.add(fn)
        ns = fn.rsplit(".", 1)[0] if "." in fn else ""
        parts.append('"name":' + json.dumps(fn, ensure_ascii=False))
    parts.append('"type":' + json.dumps(t))
    if t in ("record", "error"):
        fields = []
        for f in s["fields"]:
            fields.append('{"name":' + json.dumps(f["name"], ensure_ascii=False) +
                          ',"type":' + canonical(f["type"], ns, seen) + "}")
        parts.append('"fields":[' + ",".join(fields) + "]")
    elif t == "enum":
        parts.append('"symbols":' + json.dumps(s["symbols"], separators=(",", ":"), ensure_ascii=False))
    elif t == "array":
        parts.append('"items":' + canonical(s["items"], ns, seen))
    elif t == "map":
        parts.append('"values":' + canonical(s["values"], ns, seen))
    elif t == "fixed":
        parts.append('"size":' + str(int(s["size"])))
    return "{" + ",".join(parts) + "}"


def crc64_avro(data):
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC_EMPTY & -(fp & 1))
        table.append(fp)
    fp = CRC_EMPTY
    for b in data:
        fp = (fp >> 8) ^ table[(fp ^ b) & 0xFF]
    return fp


def c_string(text):
    out = []
    data = text.encode("utf-8")
    for i in range(0, len(data), 72):
        chunk = data[i:i + 72]
        lit = "".join(chr(c) if 32 <= c < 127 and c not in (34, 92, 63) else "\\%03o" % c
                      for c in chunk)
        out.append('\t"' + lit + '"')
    return "\n".join(out) if out else '\t""'


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    out_path = argv[1]
    library = {}
    emitted = []
    for spec in argv[2:]:
        name, path = spec.split("=", 1)
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        full = Resolver(library).resolve(schema, "")
        collect_names(schema, "", library)
        text = json.dumps(full, separators=(",", ":"), ensure_ascii=False)
        canon = canonical(full, "", set())
        emitted.append((name, text, canon, crc64_avro(canon.encode("utf-8"))))

    lines = ["/* Generated by schemas/gen_schemas.py from the .avsc files. Do not edit. */",
             "#include \"schema_defs.h\"", ""]
    for name, text, canon, fp in emitted:
        lines.append("const char schema_%s_json[] =\n%s;" % (name, c_string(text)))
        lines.append("const size_t schema_%s_json_len = %d;" % (name, len(text.encode("utf-8"))))
        lines.append("const char schema_%s_canonical[] =\n%s;" % (name, c_string(canon)))
        lines.append("const size_t schema_%s_canonical_len = %d;" % (name, len(canon.encode("utf-8"))))
        lines.append("const uint64_t schema_%s_fingerprint = UINT64_C(0x%016x);" % (name, fp))
        lines.append("")
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    import os
    os.replace(tmp, out_path)


if __name__ == "__main__":
    main(sys.argv)
