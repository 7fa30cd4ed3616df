#!/usr/bin/env python3
"""Plots generation time against operation count (log-log) from bench/compare.sh's CSV as SVG.

    python3 bench/plot.py target/bench-compare/results.csv bench/generation-time.svg

Standard library only. Plots the median wall time of each tool on the synthetic specs, and the
issue's targets for `xtask codegen` (1,000 operations: 100 ms; 10,000: 1.5 s) as hollow marks.
"""
import csv
import math
import statistics
import sys

COLORS = {"xtask": "#1f77b4", "progenitor": "#d62728"}
LABELS = {"xtask": "enkash-rs: xtask codegen", "progenitor": "progenitor 0.15.1 (cargo-progenitor)"}
TARGETS = [(1000, 0.1), (10000, 1.5)]


def main(src, dst):
    series = {}
    for row in csv.DictReader(open(src)):
        if not row["spec"].startswith("synth-"):
            continue
        series.setdefault(row["tool"], {}).setdefault(int(row["operations"]), []).append(
            float(row["wall_s"]))
    points = {tool: sorted((n, statistics.median(ts)) for n, ts in by_n.items())
              for tool, by_n in series.items()}
    ns = [n for pts in points.values() for n, _ in pts] + [n for n, _ in TARGETS]
    ts = [t for pts in points.values() for _, t in pts] + [t for _, t in TARGETS]
    x0, x1 = 10 ** math.floor(math.log10(min(ns))), 10 ** math.ceil(math.log10(max(ns)))
    y0, y1 = 10 ** math.floor(math.log10(min(ts))), 10 ** math.ceil(math.log10(max(ts)))
    w, h, left, right, top, bottom = 680, 420, 70, 70, 40, 60
    pw, ph = w - left - right, h - top - bottom

    def x(n):
        return left + pw * (math.log10(n) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))

    def y(t):
        return top + ph * (1 - (math.log10(t) - math.log10(y0)) / (math.log10(y1) - math.log10(y0)))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{w / 2}" y="22" text-anchor="middle" font-size="14">'
           'Generation time against operation count (2-core VM, wall time, median)</text>']
    decade = x0
    while decade <= x1:
        out.append(f'<line x1="{x(decade):.1f}" y1="{top}" x2="{x(decade):.1f}" y2="{top + ph}" stroke="#ddd"/>')
        out.append(f'<text x="{x(decade):.1f}" y="{top + ph + 18}" text-anchor="middle">{decade:,}</text>')
        decade *= 10
    decade = y0
    while decade <= y1 * 1.0001:
        label = f"{decade * 1000:g} ms" if decade < 1 else f"{decade:g} s"
        out.append(f'<line x1="{left}" y1="{y(decade):.1f}" x2="{left + pw}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{label}</text>')
        decade *= 10
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{left + pw / 2}" y="{h - 18}" text-anchor="middle">operations (log scale)</text>')
    for i, (tool, pts) in enumerate(sorted(points.items(), reverse=True)):
        color = COLORS.get(tool, "#555")
        path = " ".join(f"{x(n):.1f},{y(t):.1f}" for n, t in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for n, t in pts:
            out.append(f'<circle cx="{x(n):.1f}" cy="{y(t):.1f}" r="4" fill="{color}"/>')
            out.append(f'<text x="{x(n) + 7:.1f}" y="{y(t) - 7:.1f}" fill="{color}">{t:.2f} s</text>')
        out.append(f'<line x1="{left + 12}" y1="{top + 16 + 18 * i}" x2="{left + 36}" y2="{top + 16 + 18 * i}" stroke="{color}" stroke-width="2"/>')
        out.append(f'<text x="{left + 42}" y="{top + 20 + 18 * i}">{LABELS.get(tool, tool)}</text>')
    i = len(points)
    for n, t in TARGETS:
        out.append(f'<rect x="{x(n) - 4:.1f}" y="{y(t) - 4:.1f}" width="8" height="8" fill="none" stroke="#2ca02c" stroke-width="2"/>')
    out.append(f'<rect x="{left + 20}" y="{top + 12 + 18 * i}" width="8" height="8" fill="none" stroke="#2ca02c" stroke-width="2"/>')
    out.append(f'<text x="{left + 42}" y="{top + 20 + 18 * i}">target for xtask codegen</text>')
    out.append("</svg>")
    open(dst, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
