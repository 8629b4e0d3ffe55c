"""The benchmark's tables, printed from the figures `devtools.bench.measure` returns."""

from __future__ import annotations

import os
from typing import Any

from .bench import LH_OTHER_BUDGET, LH_PERFORMANCE_BUDGET, SEARCH


def print_budgets(r: dict[str, Any]) -> None:
    b = r.get("budgets")
    if not b:
        return
    ratios = b["first_visit_ratio"]
    print(f"\nBudget: first visit <= {b['first_visit_budget']:.2f} x default material's gzip bytes on every page")
    print(f"  ours / default material: {min(ratios.values()):.2f}-{max(ratios.values()):.2f} "
          f"({'every page within budget' if not b['over_budget'] else 'over budget: ' + ', '.join('/' + u for u in b['over_budget'])})")
    for url, ratio in sorted(ratios.items(), key=lambda kv: -kv[1]):
        print(f"    /{url:28} {ratio:.3f}{'  over budget' if ratio > b['first_visit_budget'] else ''}")
    rows = r.get("first_visit_composition", {})
    for url, items in rows.items():
        total = sum(i["gzip_bytes"] for i in items)
        what = " (the heaviest page)" if url == r.get("heaviest_page") else ""
        print(f"A first visit to /{url}{what}, each response (gzip bytes), {len(items)} responses, {kb(total)} KiB:")
        for i in items:
            print(f"  {i['gzip_bytes']:>7}  {i['path']}  ({i['type']})")
    print_lighthouse(r)


def print_lighthouse(r: dict[str, Any]) -> None:
    lh = r.get("lighthouse", {}).get("ours", {})
    if not lh:
        return
    b = r["budgets"]
    runs = r.get("lighthouse_runs", 1)
    load = r.get("load_average", {})
    print(f"\nLighthouse, ours: median of {runs} run(s) per page and form, performance/accessibility/best practices/SEO "
          f"(budget: performance >= {LH_PERFORMANCE_BUDGET}, the others {LH_OTHER_BUDGET}, light and dark)")
    if load:
        print(f"  load average (1/5/15 min) before: {load['before']}, after: {load['after']} on {os.cpu_count()} CPUs")
    forms = sorted({f for s in lh.values() for f in s}, key=["mobile", "mobile-dark", "desktop"].index)
    print(f"  {'page':28} " + " ".join(f"{f:22}" for f in forms))
    for url, scores in lh.items():
        cells = []
        for f in forms:
            s = scores.get(f)
            if not s or "error" in s:
                cells.append(f"{'error' if s else '-':22}")
                continue
            cell = "/".join(str(s.get(k)) for k in ("performance", "accessibility", "best-practices", "seo"))
            cells.append(f"{cell + ' ' + str(s.get('runs', '')).replace(' ', ''):22}")
        print(f"  /{url:27} " + " ".join(cells))
    misses = b.get("lighthouse_misses", {})
    if not misses:
        print("  every page measured meets the Lighthouse budget in every form")
        return
    print("  pages that miss the Lighthouse budget:")
    for url, forms_missed in misses.items():
        for form, why in forms_missed.items():
            failing = lh[url][form].get("failing_audits", [])
            print(f"    /{url} {form}: {', '.join(why)}" + (f"; failing audits: {', '.join(failing)}" if failing else ""))


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def print_build(r: dict[str, Any]) -> None:
    print(f"Benchmark {r['date']} · commit {r['commit']} · {r['machine']}\n")
    b = r["build"]
    ours, base = b["ours"], b["baseline"]
    print("Build (s)                  cold (fresh process)   warm (unchanged, in process)")
    print(f"  ours (make build)        {ours['cold_s']:6.2f} incl. every PDF   {ours['warm_s']:6.2f}"
          f"  ({ours['warm_s'] / base['warm_s']:.1f}x default material; {ours['printed']} PDFs printed)")
    print(f"  default material         {base['cold_s']:6.2f}                  {base['warm_s']:6.2f}")
    print("  ours, warm, by step: " + ", ".join(f"{k} {v:.2f}" for k, v in ours["steps"].items()) + "\n")


def print_reading(r: dict[str, Any]) -> None:
    print("Reading level (textstat Flesch-Kincaid grade; words per sentence) of each page's prose:")
    for url, f in r["reading_level"].items():
        print(f"  /{url.lstrip('/'):28} grade {f['grade']:4}   {f['words_per_sentence']:4} words/sentence")
    print()


def _scores(s: dict[str, Any] | None) -> str:
    if not s or "error" in s:
        return "  error        " if s else ""
    return "/".join(str(s.get(k)) for k in ("performance", "accessibility", "best-practices", "seo"))


def print_report(r: dict[str, Any]) -> None:
    print_build(r)
    print_reading(r)
    ours, base = r["first_visit"]["ours"], r["first_visit"]["baseline"]
    lh = r.get("lighthouse", {}).get("ours", {})
    nginx = r.get("first_visit_nginx", {})
    print(f"{'First visit, KiB (gzip is what travels)':43} {'ours':>20} {'':7}  | {'default material':>20}  | Lighthouse ours: perf/a11y/bp/seo")
    print(f"{'page':22} {'':20} {'req':>4} {'raw':>7} {'gzip':>7} {'nginx':>7}  | {'req':>4} {'raw':>7} {'gzip':>7}  | mobile          desktop")
    total = {"o": 0, "b": 0}
    for url, o in ours.items():
        d = base.get(url)
        scores = lh.get(url, {})
        base_cols = f"{d['requests']:>4} {kb(d['raw_bytes']):>7} {kb(d['gzip_bytes']):>7}" if d else " " * 20
        through = kb(nginx[url]) if url in nginx else "-"
        print(f"/{url:42} {o['requests']:>4} {kb(o['raw_bytes']):>7} {kb(o['gzip_bytes']):>7} {through:>7}  | {base_cols}  | "
              f"{_scores(scores.get('mobile')):15} {_scores(scores.get('desktop'))}")
        if d:
            total["o"] += o["gzip_bytes"]
            total["b"] += d["gzip_bytes"]
    print(f"\nTotal gzip over pages present in both: ours {kb(total['o'])} KiB, default material {kb(total['b'])} KiB")
    s = r.get("first_visit_with_search")
    if s:
        print(f"A first visit to / that also searches for \"{SEARCH}\": ours {s['ours']['requests']} requests, "
              f"{kb(s['ours']['gzip_bytes'])} KiB gzip; default material {s['baseline']['requests']} requests, "
              f"{kb(s['baseline']['gzip_bytes'])} KiB gzip")
    third = sorted({u for v in base.values() for u in v["third_party"]})
    if third:
        print(f"default material also asks other hosts (blocked offline, not counted): {', '.join(third)}")
    mine = sorted({u for v in ours.values() for u in v["third_party"]})
    print(f"ours asks other hosts: {', '.join(mine) if mine else 'none'}")
