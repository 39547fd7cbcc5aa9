"""How ``seed_deadlines.tsv`` was collected: prints its seed, line and text columns.

Run ``python collect_seed_deadlines.py [SEEDS_DIR]`` and compare with ``cut -f1-3 seed_deadlines.tsv``.
The line spans of each deadline cell were read off the tables by hand (000 flows one cell per line,
003 one cell per blank-line block, both with cells split by page breaks); 001 and 004 are tab-separated
and their deadline column is taken as it stands, with the fragments that a page break or a wrapped
row pushed to a following line joined by hand. The language and expected columns were filled by hand
from the documents, not by the parser.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# 000: the line spans of each deadline cell, measures 6 to 53 (measures 1-5 are not in the extraction)
SPANS_000 = [
    [(158, 159)], [(195, 196)], [(235, 236)], [(274, 275)], [(304, 305)], [(335, 336)],
    [(371, 372)], [(447, 448)], [(525, 526), (534, 535)], [(598, 599), (601, 602)], [(630, 631)],
    [(655, 656)], [(716, 717)], [(747, 760), (780, 782)], [(813, 814)], [(836, 837)], [(869, 870)],
    [(894, 898)], [(936, 937)], [(971, 972)], [(999, 1000)], [(1023, 1024)], [(1068, 1070)],
    [(1104, 1105)], [(1142, 1143)], [(1176, 1177)], [(1218, 1219)], [(1252, 1253)], [(1279, 1280)],
    [(1322, 1323)], [(1349, 1350)], [(1378, 1379)], [(1425, 1426)], [(1452, 1453)], [(1476, 1477)],
    [(1512, 1513)], [(1540, 1541)], [(1578, 1579)], [(1611, 1613)], [(1646, 1647)], [(1682, 1684)],
    [(1719, 1720)], [(1759, 1760)], [(1817, 1818)], [(1848, 1849)], [(1875, 1876)], [(1898, 1900)],
    [(1920, 1922), (1937, 1938)],
]  # fmt: skip
# 000: the executors' cell that the extraction glued onto the deadline's last line, cut off
GLUED_000 = [" ІІМ, ЖАО -", " ОМ, ЖАО", " ЖАО, ОМ", " ОМ, АҚДМ", " ОМ"]
# 003: the line spans of each deadline cell, measures 1 to 43
SPANS_003 = [
    [(1138, 1141)], [(1172, 1174)], [(1209, 1212)], [(1249, 1252)], [(1287, 1290)], [(1324, 1327)],
    [(1358, 1361)], [(1412, 1415)], [(1440, 1444)], [(1483, 1488)], [(1510, 1511), (1529, 1530)],
    [(1561, 1564)], [(1591, 1594)], [(1608, 1611)], [(1671, 1673)], [(1708, 1711)], [(1748, 1749)],
    [(1777, 1780)], [(1821, 1824)], [(1858, 1861)], [(1888, 1890)], [(1915, 1918)], [(1956, 1960)],
    [(1993, 1997)], [(2030, 2033)], [(2087, 2090)], [(2130, 2133)], [(2171, 2176)], [(2205, 2208)],
    [(2247, 2254)], [(2395, 2402)], [(2464, 2471)], [(2505, 2509)], [(2543, 2546)], [(2570, 2577)],
    [(2628, 2635)], [(2684, 2691)], [(2755, 2759)], [(2797, 2798)], [(2823, 2826)], [(2859, 2863)],
    [(2899, 2904), (2923, 2924)], [(2950, 2954)],
]  # fmt: skip
# 004: rows whose deadline continues on a later line (first line -> continuation lines)
CONTINUED_004 = {1884: [1886], 2020: [2022], 2030: [2032], 2057: [2059], 2129: [2131]}
SHIFTED_004 = {2116: 2}  # row 149: the deadline slipped into the form-of-completion column
CITED_LINE_004 = {1884: 1886}  # row 29: its first line has an empty deadline cell; the text is on 1886
DEADLINE_START = re.compile(r"^\s*(\d{4}\s+жылғы|жыл сайын)")


def _read(seeds: Path, seed: str) -> list[str]:
    return next(seeds.glob(f"{seed}_*.txt")).read_text(encoding="utf-8").split("\n")


def _span(lines: list[str], spans: list[tuple[int, int]]) -> str:
    return " ".join(lines[i - 1].strip() for a, b in spans for i in range(a, b + 1) if lines[i - 1].strip())


def _unglue(text: str) -> str:
    for glued in GLUED_000:
        if glued in text:
            return text.replace(glued, "", 1)
    return text


def collect(seeds: Path) -> list[tuple[str, int, str]]:
    """(seed, first line, cell text) of every deadline cell of the four plan documents."""
    cells: list[tuple[str, int, str]] = []
    lines = _read(seeds, "000")
    cells += [("000", spans[0][0], _unglue(_span(lines, spans))) for spans in SPANS_000]
    for number, line in enumerate(_read(seeds, "001"), start=1):
        cells += [("001", number, f.strip()) for f in line.split("\t") if "\t" in line and DEADLINE_START.match(f)]
    lines = _read(seeds, "003")
    cells += [("003", spans[0][0], _span(lines, spans)) for spans in SPANS_003]
    lines = _read(seeds, "004")
    continuation = {line for more in CONTINUED_004.values() for line in more}
    for number, line in enumerate(lines, start=1):
        fields = line.split("\t")
        if number <= 1833 or len(fields) < 4 or number in continuation:
            continue
        text = fields[SHIFTED_004.get(number, 3)]
        for more in CONTINUED_004.get(number, []):
            text = f"{text} {lines[more - 1].split(chr(9))[3]}"
        text = text.strip()
        if text and set(text) != {"-"}:
            cells.append(("004", CITED_LINE_004.get(number, number), text))
    return cells


def main() -> None:
    """Print the seed, line and text columns, one distinct (seed, text) a row."""
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/seeds")
    rows: dict[tuple[str, str], list[int]] = {}
    for seed, line, text in collect(seeds):
        rows.setdefault((seed, text), []).append(line)
    for (seed, text), numbers in rows.items():
        sys.stdout.write(f"{seed}\t{','.join(map(str, numbers))}\t{text}\n")


if __name__ == "__main__":
    main()
