#!/usr/bin/env python3
"""Draws docs/benchmarks.svg from the tables `make bench` writes to bench/results/*.md.

    scripts/benchmarks-chart.py bench/results docs/benchmarks.svg     (make chart-svg)

One pair of bars per measurement: Sluice's figure and the reference's, both from the same
table (measured interleaved in one run). Each pair is scaled to its own larger value, because
the figures span 0.02 ms to 1 s; the numbers and the ratio are printed next to the bars. A
table, row or column named below that is missing fails the script: a chart that silently
drops a measurement would mislead.

Python 3 standard library only.
"""
import html
import pathlib
import sys

# (file, title, Sluice's row, Sluice's column, reference's row, reference's column).
# Rows are found by the start of their first cell, without Markdown emphasis. A column written
# "PREFIX*N" is the Nth column whose name starts with PREFIX (names that carry a measured count).
MEASUREMENTS = [
    ("version.md", "VERSION round trip (process start)", "sluice-ipam (", "median ms (*1", "/usr/lib/cni/host-local", "median ms (*1"),
    ("version.md", "VERSION round trip, 250 more mounts (a busy node)", "sluice-ipam (", "median ms (*2", "/usr/lib/cni/host-local", "median ms (*2"),
    ("bridge-nomasq.md", "Primary plugin ADD, ipMasq false (flannel's shape)", "sluice-bridge", "ADD median ms", "bridge + host-local", "ADD median ms"),
    ("bridge-nomasq.md", "Primary plugin DEL, ipMasq false", "sluice-bridge", "DEL median ms", "bridge + host-local", "DEL median ms"),
    ("bridge.md", "Primary plugin ADD, ipMasq true", "sluice-bridge", "ADD median ms", "bridge + host-local", "ADD median ms"),
    ("bridge.md", "Primary plugin DEL, ipMasq true", "sluice-bridge", "DEL median ms", "bridge + host-local", "DEL median ms"),
    ("bridge.md", "64 concurrent ADDs (makespan)", "sluice-bridge", "64 concurrent ADDs makespan ms", "bridge + host-local", "64 concurrent ADDs makespan ms"),
    ("netlink.md", "Pod plumbing: netlink vs ip commands", "plumbing", "Sluice.Linux median ms", "plumbing", "ip median ms"),
    ("netlink.md", "Whole veth cycle (kernel teardown included)", "whole cycle", "Sluice.Linux median ms", "whole cycle", "ip median ms"),
    ("capture.md", "Istio capture rules, native nftables", "native nftables", "median ms", "one iptables exec per rule", "median ms"),
    ("capture.md", "Istio capture rules, whole sluice-iptables process", "sluice-iptables", "median ms", "one iptables exec per rule", "median ms"),
    ("redirect.md", "Chained ADD, Istio pod, via agent, waits for loopback", "sluice-redirect ADD, Istio pod, lookup through sluice-agent (Unix socket)", "median ms", "Istio-like", "median ms"),
    ("redirect.md", "Chained ADD, Istio pod, via agent, lo up before chain", "sluice-redirect ADD, Istio pod, lookup through sluice-agent + nft rules, runtimeLoopback", "median ms", "Istio-like", "median ms"),
    ("redirect.md", "Chained ADD, Istio pod, own HTTPS, waits for loopback", "sluice-redirect ADD, Istio pod, lookup over HTTPS (sluice-kube get-pod)", "median ms", "Istio-like", "median ms"),
    ("redirect.md", "Chained ADD, Istio pod, HTTPS + Debian CAs, lo up before chain", "sluice-redirect ADD, Istio pod, lookup over HTTPS + nft rules, Debian trust store, runtimeLoopback", "median ms", "Istio-like", "median ms"),
    ("portmap.md", "hostPort ADD, after the same bridge", "sluice-portmap (auto", "ADD median ms", "portmap (Debian", "ADD median ms"),
]

WIDTH, LABEL_W, BAR_W = 960, 430, 360
ROW_H, TITLE_H, GAP = 18, 22, 14
SLUICE, REFERENCE = "#2b6cb0", "#a0aec0"


def read_table(path):
    """The first Markdown table of a file: (header cells, rows of cells)."""
    lines = [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip().startswith("|")]
    if len(lines) < 3:
        sys.exit(f"{path}: no table")
    cells = [[clean(c) for c in l.strip("|").split("|")] for l in lines]
    return cells[0], cells[2:]


def clean(cell):
    return cell.strip().replace("**", "").strip("*").strip()


def pick(path, header, rows, row_start, column):
    if "*" in column:
        prefix, nth = column.rsplit("*", 1)
        named = [h for h in header if h.startswith(prefix)]
        if len(named) < int(nth):
            sys.exit(f"{path}: no column {nth} starting with '{prefix}' (columns: {header})")
        column = named[int(nth) - 1]
    if column not in header:
        sys.exit(f"{path}: no column '{column}' (columns: {header})")
    matches = [r for r in rows if r[0].startswith(row_start)]
    if len(matches) != 1:
        sys.exit(f"{path}: {len(matches)} rows start with '{row_start}', expected one")
    row = matches[0]
    try:
        return row[0], float(row[header.index(column)])
    except ValueError:
        sys.exit(f"{path}: '{row[header.index(column)]}' in row '{row[0]}', column '{column}' is not a number")


def measurements(results):
    tables = {}
    for name, title, s_row, s_col, r_row, r_col in MEASUREMENTS:
        path = results / name
        if name not in tables:
            tables[name] = read_table(path)
        header, rows = tables[name]
        s_name, s_value = pick(path, header, rows, s_row, s_col)
        r_name, r_value = pick(path, header, rows, r_row, r_col)
        if s_name == r_name:  # one row, two columns (netlink: Sluice.Linux vs ip)
            s_name, r_name = f"Sluice.Linux: {s_name}", f"ip commands: {r_name}"
        yield title, (s_name, s_value), (r_name, r_value)


def text(x, y, content, size=12, anchor="start", weight="normal", fill="#1a202c"):
    return (f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{html.escape(content)}</text>')


def bar(y, label, value, scale, color):
    width = max(1.0, BAR_W * value / scale)
    return [
        text(LABEL_W - 8, y + 13, shorten(label), size=11, anchor="end"),
        f'<rect x="{LABEL_W}" y="{y + 2}" width="{width:.1f}" height="{ROW_H - 4}" fill="{color}"/>',
        text(round(LABEL_W + width + 6, 1), y + 13, f"{value:g} ms", size=11),
    ]


def shorten(label, limit=62):
    return label if len(label) <= limit else label[: limit - 1] + "…"


def svg(items):
    parts, y = [], 56
    for title, (s_name, s_value), (r_name, r_value) in items:
        scale = max(s_value, r_value)
        ratio = s_value / r_value
        parts.append(text(16, y + 15, title, size=13, weight="bold"))
        parts.append(text(WIDTH - 16, y + 15, f"Sluice / reference = {ratio:.2f}", size=12, anchor="end", fill="#4a5568"))
        y += TITLE_H
        parts += bar(y, s_name, s_value, scale, SLUICE)
        y += ROW_H
        parts += bar(y, r_name, r_value, scale, REFERENCE)
        y += ROW_H + GAP
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y + 24}" viewBox="0 0 {WIDTH} {y + 24}" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
        f'<rect width="{WIDTH}" height="{y + 24}" fill="#ffffff"/>',
        text(16, 24, "Sluice vs reference, median ms (shorter is faster)", size=16, weight="bold"),
        text(16, 44, "From bench/results/*.md (make bench); each pair measured interleaved in one run and scaled to its own larger value.", size=11, fill="#4a5568"),
        f'<rect x="{WIDTH - 250}" y="14" width="12" height="12" fill="{SLUICE}"/>',
        text(WIDTH - 232, 24, "Sluice", size=12),
        f'<rect x="{WIDTH - 170}" y="14" width="12" height="12" fill="{REFERENCE}"/>',
        text(WIDTH - 152, 24, "reference", size=12),
    ]
    return "\n".join(head + parts + ["</svg>"]) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: benchmarks-chart.py RESULTS_DIR OUTPUT.svg")
    results, output = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    output.write_text(svg(list(measurements(results))), encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
