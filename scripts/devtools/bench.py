"""The benchmark behind `scripts/bench`: build times, first-visit weight and Lighthouse scores, beside
default mkdocs-material. What is measured, and how, is in scripts/bench's help; `measure` runs it all.

Not a test, but tests/test_servers.py checks the figures it reports against real servers, with the
functions here (`serve`, `visit`, `first_visit`, `body_bytes`, `page_urls`, `source_pages`).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple
from urllib.parse import urlsplit

from pipeline.paths import ROOT
from sitegen import pdfs, security, servers

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
# Makes `prefers-color-scheme: dark` match in the pages Lighthouse loads (checked: matchMedia is
# true under it, false without it; --force-dark-mode works too).
DARK_FLAG = "--blink-settings=preferredColorScheme=0"
# Lighthouse budgets (issue 16): mobile performance, median of the runs, and the other categories.
LH_PERFORMANCE_BUDGET = 98
LH_OTHER_BUDGET = 100
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
SEARCH = "ketamine"


# --- Builds ----------------------------------------------------------------------------------

# Warm builds are timed inside one Python process, as MkDocs reports its own build time:
# imports and interpreter start-up are left out, on both sides alike.
_OURS_WARM = """
import json, sys, time
from pathlib import Path
from pipeline.build import build
root, site, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
build(site, root=root, cache=cache)  # fills the cache: the runs below change nothing
runs = []
for _ in range(3):
    start = time.perf_counter(); report = build(site, root=root, cache=cache)
    runs.append((time.perf_counter() - start, report.seconds, len(report.printed)))
total, steps, printed = sorted(runs)[1]
print(json.dumps({"warm_s": round(total, 2), "steps": steps, "printed": printed}))
"""
_BASELINE_WARM = """
import json, logging, statistics, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
times = []
for _ in range(4):
    config = load_config(sys.argv[1], site_dir=sys.argv[2])
    start = time.perf_counter(); build(config); times.append(time.perf_counter() - start)
print(json.dumps({"warm_s": round(statistics.median(times[1:]), 2)}))
"""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """A build in a process of its own. Its environment only: `mkdocs` prints no end-of-life notice,
    and scripts/ is on the path (for the warm builds, run with `python -c`)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(cwd / "scripts")}
    return subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, text=True)


def build_times(project: Path, site: Path, tmp: Path) -> dict[str, Any]:
    """Ours: a cold `scripts/build` (fresh process, empty cache: every PDF and preview made) and
    the median of three warm, unchanged builds with each step's time."""
    shutil.rmtree(site, ignore_errors=True)
    cache = tmp / "cache"
    start = time.perf_counter()
    _run([sys.executable, "scripts/build", "--site-dir", str(site), "--cache-dir", str(cache)], project)
    cold = time.perf_counter() - start
    warm = json.loads(_run([sys.executable, "-c", _OURS_WARM, str(project), str(site), str(cache)], project).stdout)
    return {"cold_s": round(cold, 2), **warm}


def baseline_times(project: Path, site: Path) -> dict[str, Any]:
    start = time.perf_counter()
    _run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)], project)
    cold = time.perf_counter() - start
    warm = json.loads(_run([sys.executable, "-c", _BASELINE_WARM, str(project / "mkdocs.yml"), str(site)], project).stdout)
    return {"cold_s": round(cold, 2), **warm}


def baseline_project(tmp: Path) -> Path:
    """The site's Markdown pages under mkdocs-material's default theme settings."""
    import yaml

    project = tmp / "baseline"
    shutil.copytree(ROOT / "docs", project / "docs", ignore=shutil.ignore_patterns("assets"))
    ours = _mkdocs_yml(ROOT / "mkdocs.yml")
    config = {
        "site_name": ours["site_name"],
        "site_url": "https://ketamine-depression.example.org/",
        "theme": {"name": "material"},
        "plugins": ["search"],
        # The same Markdown extensions, so the same text renders the same way.
        "markdown_extensions": ours.get("markdown_extensions", []),
        "exclude_docs": ours.get("exclude_docs", ""),
        "nav": ours.get("nav"),
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def _mkdocs_yml(path: Path) -> dict[str, Any]:
    """mkdocs.yml as data, its !ENV values left empty."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


# --- A static server that compresses like a real one -----------------------------------------

class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not ctype.startswith(COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control(self.path))
        self.end_headers()
        return io.BytesIO(body)


def cache_control(url_path: str) -> str:
    """As the server configurations `make dist` writes: fingerprinted files for a year, others an hour."""
    return security.IMMUTABLE if security.FINGERPRINTED.search(url_path.split("?")[0]) else "max-age=3600"


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """`site` served on a free local port, in a thread: the server and its address."""
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def page_urls(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    ) + ["404.html"]


def built_file(site: Path, url: str) -> Path:
    return site / url if url.endswith(".html") else site / url / "index.html"


# --- First visit -----------------------------------------------------------------------------

def first_visit(browser: Browser, address: str, before: Callable[[BrowserContext], object] = lambda context: None) -> tuple[BrowserContext, Page, list[Request]]:
    """A fresh context (empty cache, 375 px) that has opened `address`: its context, page and the
    requests made so far and after, each kept as it starts. Settled at network idle and once the
    page's icon is asked for: Chromium asks for it after the page has loaded, and on a loaded
    machine that can come after network idle, so a count of requests would be one short.
    `before(context)` runs before the page opens (tests watch its console from there)."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    before(context)
    requests: list[Request] = []
    context.on("request", lambda r: requests.append(r))  # a lambda: Playwright tags its handlers
    page = context.new_page()
    page.goto(address, wait_until="networkidle")
    icon = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href ?? null")
    for _ in range(100):  # polled: each wait lets Playwright deliver the request events
        if icon is None or any(r.url == icon for r in requests):
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state("networkidle")
    return context, page, requests


def received(requests: list[Request]) -> list[dict[str, Any]]:
    """Each response with a body: its path, type, and raw and gzip (level 6) bytes."""
    rows = []
    for request in requests:
        response = request.response()
        if response is None:  # failed: no response
            continue
        try:
            body = response.body()
        except Exception:  # redirected and aborted requests have no body
            continue
        ctype = response.headers.get("content-type", "")
        gz = len(gzip.compress(body, 6)) if ctype.startswith(COMPRESSIBLE) else len(body)
        rows.append({"path": urlsplit(response.url).path, "type": ctype.split(";")[0], "raw_bytes": len(body), "gzip_bytes": gz})
    return rows


def visit(browser: Browser, base: str, url: str, search: str = "") -> dict[str, Any]:
    """One first visit (fresh context, empty cache); with `search`, the reader also searches."""
    context, page, requests = first_visit(browser, base + url)
    if search:
        page.keyboard.press("/")
        page.keyboard.type(search, delay=20)
        page.wait_for_selector(".md-search-result__item")
        page.wait_for_load_state("networkidle")
    rows = received(requests)
    origin = urlsplit(base)[:2]
    outside = sorted({r.url for r in requests if urlsplit(r.url)[:2] != origin and not r.url.startswith(("data:", "blob:"))})
    context.close()
    return {"requests": len(requests), "raw_bytes": sum(r["raw_bytes"] for r in rows),
            "gzip_bytes": sum(r["gzip_bytes"] for r in rows), "third_party": outside}


def first_visits(browser: Browser, base: str, urls: list[str]) -> dict[str, dict[str, Any]]:
    return {url: visit(browser, base, url) for url in urls}


# --- Through nginx ---------------------------------------------------------------------------

def through_nginx(browser: Browser, site: Path, urls: list[str], tmp: Path) -> dict[str, int]:
    """First-visit bytes as they travel from Debian's nginx running the configuration `make dist`
    writes (precompressed files, its headers): every response body as Chromium received it,
    encoded. Headers are left out, as in the gzip column. Needs nginx (`make servers`)."""
    if not shutil.which("nginx"):
        return {}
    # At its address's path under a web root that nginx's workers (user nobody) can read.
    path = servers.address_path(site)
    web_root = tmp / "www"
    (web_root / path.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    if path != "/":
        (web_root / path.strip("/")).symlink_to(site)
    else:
        web_root.symlink_to(site)
    site.parent.chmod(0o755)
    with servers.run_local("nginx", web_root, tmp / "nginx", path) as base:
        return {url: transferred(browser, base, url)[1] for url in urls}


def transferred(browser: Browser, base: str, url: str) -> tuple[int, int]:
    """Requests and body bytes of one first visit as Chromium received them. Every request is kept
    as it starts and sized after: `sizes()` waits for its body, whereas a `requestfinished` event
    can still be undelivered at network idle on a loaded machine (a page once counted 7 requests'
    worth as 2)."""
    context, _, requests = first_visit(browser, base + url)
    total = body_bytes(requests)
    context.close()
    return len(requests), total


def body_bytes(requests: list[Request]) -> int:
    return sum(r.sizes()["responseBodySize"] for r in requests)


# --- Budgets (issues 16 and 34): first-visit gzip against default material, and what a first visit holds ---

FIRST_VISIT_BUDGET = 0.72  # ours / default material, gzip bytes, on every page (issue 34: identity included)


def composition(browser: Browser, base: str, url: str = "") -> list[dict[str, Any]]:
    """Each response of one first visit (375 px, no search): its path, type and gzip bytes, largest first."""
    context, _, requests = first_visit(browser, base + url)
    rows = received(requests)
    context.close()
    return sorted(rows, key=lambda row: -row["gzip_bytes"])


def budgets(r: dict[str, Any]) -> dict[str, Any]:
    """Each page's first-visit gzip as a share of default material's, against FIRST_VISIT_BUDGET, and
    the Lighthouse medians against their budgets, per page and colour scheme. Figures, not tests."""
    ours, base = r["first_visit"]["ours"], r["first_visit"]["baseline"]
    ratios = {url: round(o["gzip_bytes"] / base[url]["gzip_bytes"], 3) for url, o in ours.items() if url in base}
    lh = r.get("lighthouse", {}).get("ours", {})
    mobile = {url: s["mobile"].get("performance") for url, s in lh.items() if "mobile" in s and "error" not in s["mobile"]}
    misses: dict[str, dict[str, list[str]]] = {}
    for url, forms in lh.items():
        for form, scores in forms.items():
            why = lighthouse_misses(scores)
            if why:
                misses.setdefault(url, {})[form] = why
    return {
        "first_visit_budget": FIRST_VISIT_BUDGET,
        "first_visit_ratio": ratios,
        "over_budget": sorted(url for url, ratio in ratios.items() if ratio > FIRST_VISIT_BUDGET),
        "lighthouse_mobile_performance": mobile,
        "lighthouse_budget": {"performance": LH_PERFORMANCE_BUDGET, "others": LH_OTHER_BUDGET},
        "lighthouse_misses": misses,
    }


def lighthouse_misses(scores: dict[str, Any]) -> list[str]:
    """What one page's median scores in one form miss: ["performance 95", "dark scheme not applied", ...]."""
    if "error" in scores:
        return ["error: " + " ".join(scores["error"])]
    out = []
    if (scores.get("performance") or 0) < LH_PERFORMANCE_BUDGET:
        out.append(f"performance {scores.get('performance')}")
    for k in ("accessibility", "best-practices", "seo"):
        if (scores.get(k) or 0) < LH_OTHER_BUDGET:
            out.append(f"{k} {scores.get(k)}")
    if scores.get("scheme_ok") is False:
        out.append("the dark scheme was not applied")
    return out


# --- Lighthouse ------------------------------------------------------------------------------

def lighthouse(url: str, form: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run; `form` is "mobile", "mobile-dark" or "desktop"."""
    flags = CHROME_FLAGS + (" " + DARK_FLAG if form.endswith("-dark") else "")
    args = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
            f"--chrome-flags={flags}", "--only-categories=performance,accessibility,best-practices,seo"]
    if form == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or ""}
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=240)
    if proc.returncode != 0 or not out.is_file():
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    report = json.loads(out.read_text(encoding="utf-8"))
    scores: dict[str, Any] = {k: round(v["score"] * 100) if v["score"] is not None else None for k, v in report["categories"].items()}
    failing = sorted(
        a["id"] for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    scores["failing_audits"] = failing
    scores["scheme_ok"] = screenshot_is_dark(report) == form.endswith("-dark")
    return scores


def screenshot_is_dark(report: dict[str, Any]) -> bool | None:
    """Whether the page as Lighthouse last saw it is mostly dark (mean luminance under half)."""
    import base64

    shot = (report["audits"].get("final-screenshot") or {}).get("details", {}).get("data", "")
    if "," not in shot:
        return None
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(base64.b64decode(shot.split(",", 1)[1]))).convert("L")
    return ImageStat.Stat(image).mean[0] < 128


def median_scores(runs: list[dict[str, Any]]) -> dict[str, Any]:
    # Performance moves a few points between runs on a busy machine (total blocking time).
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    scores: dict[str, Any] = {k: round(statistics.median(r[k] for r in ok if r.get(k) is not None))
              for k in ("performance", "accessibility", "best-practices", "seo")}
    scores["runs"] = [r["performance"] for r in ok]
    scores["failing_audits"] = sorted({a for r in ok for a in r["failing_audits"]})
    scores["scheme_ok"] = all(r.get("scheme_ok", True) for r in ok)
    return scores


# --- Pages and reading level ---------------------------------------------------------------

def source_pages(docs: Path) -> set[str]:
    """The address of each page in docs/ ("x/" for x.md or x/index.md, "" for index.md), and the 404 page."""
    urls = {"404.html"}
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs).with_suffix("")
        if rel.parts[0].startswith("_"):  # snippets, included in pages
            continue
        rel = rel.parent if rel.name == "index" else rel
        urls.add("" if rel == Path(".") else rel.as_posix() + "/")
    return urls




def reading_levels(site: Path) -> dict[str, Any]:
    """Flesch-Kincaid grade and words per sentence of each page's prose (textstat), as built."""
    from sitegen.readability import measure as readability

    out = {}
    for path in sorted(site.rglob("index.html")):
        article = re.search(r"<article\b.*?</article>", path.read_text(encoding="utf-8"), re.S)
        figures = readability(article.group(0)) if article else None
        if figures:
            out[path.parent.relative_to(site).as_posix().replace(".", "") + "/"] = figures
    return out




# --- The whole run -----------------------------------------------------------------------------


class UsageError(ValueError):
    """A page asked for that the site does not have."""


@dataclass(frozen=True)
class Plan:
    """What to measure: scripts/bench's options."""

    lighthouse: bool = True
    baseline_lighthouse: bool = False  # Lighthouse on default material too
    pages: int = 0  # Lighthouse only the first N pages (0: all)
    page: tuple[str, ...] = ()  # Lighthouse only these pages
    runs: int = 1  # Lighthouse runs per page and form; scores are medians
    desktop: bool = True
    build_only: bool = False


class Served(NamedTuple):
    """A built site and the address it is served at."""

    site: Path
    base: str


def unknown_pages(asked: tuple[str, ...], known: set[str] | list[str]) -> list[str]:
    return sorted(set(asked) - set(known))


def measure(plan: Plan) -> dict[str, Any]:
    """Every figure `plan` asks for, as scripts/bench writes it to JSON."""
    result: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · {platform.platform()}",
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        ours_site, base_site = tmp / "site", tmp / "baseline-site"
        print("building ours and the default-material baseline ...", file=sys.stderr)
        result["build"] = {"ours": build_times(ROOT, ours_site, tmp)}
        result["build"]["baseline"] = baseline_times(baseline_project(tmp), base_site)
        result["reading_level"] = reading_levels(ours_site)
        if not plan.build_only:
            measure_visits(result, plan, ours_site, base_site, tmp)
    if "first_visit" in result:
        result["budgets"] = budgets(result)
    return result


def measure_visits(result: dict[str, Any], plan: Plan, ours_site: Path, base_site: Path, tmp: Path) -> None:
    """First visits to both sites, through nginx too, and Lighthouse, each site served locally."""
    running = []
    try:
        ours_srv, ours_base = serve(ours_site)
        base_srv, base_base = serve(base_site)
        running = [ours_srv, base_srv]
        ours, baseline = Served(ours_site, ours_base), Served(base_site, base_base)
        urls = page_urls(ours_site)
        browse(result, ours, baseline, urls, tmp)
        if plan.lighthouse:
            lighthouse_scores(result, plan, [ours] + ([baseline] if plan.baseline_lighthouse else []), urls, tmp)
    finally:
        for server in running:
            server.shutdown()


def browse(result: dict[str, Any], ours: Served, baseline: Served, urls: list[str], tmp: Path) -> None:
    """First visits (and one that searches) to both sites, ours through nginx, and what a first visit holds."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=pdfs.CHROMIUM_ARGS)
        print("first visits ...", file=sys.stderr)
        ours_visits = first_visits(browser, ours.base, urls)
        base_visits = first_visits(browser, baseline.base, [u for u in urls if built_file(baseline.site, u).is_file()])
        # Ours loads the search engine on the first query; count a visit that searches too.
        searching = {"ours": visit(browser, ours.base, "", SEARCH), "baseline": visit(browser, baseline.base, "", SEARCH)}
        result["first_visit_nginx"] = through_nginx(browser, ours.site, urls, tmp / "through-nginx")
        result["first_visit"] = {"ours": ours_visits, "baseline": base_visits}
        # What a first visit holds: the home page, the heaviest page and every page over budget.
        heaviest = max(ours_visits, key=lambda u: ours_visits[u]["gzip_bytes"])
        listed = dict.fromkeys(["", heaviest, *budgets(result)["over_budget"]])
        result["first_visit_composition"] = {url: composition(browser, ours.base, url) for url in listed}
        result["heaviest_page"] = heaviest
        browser.close()
    result["first_visit_with_search"] = searching


def lighthouse_scores(result: dict[str, Any], plan: Plan, sites: list[Served], urls: list[str], tmp: Path) -> None:
    """Lighthouse on each page `plan` names, in each form, on ours (and default material, if asked)."""
    assert LIGHTHOUSE.is_file(), "run `make setup` first: Lighthouse comes from npm ci"
    lh_urls = urls[: plan.pages] if plan.pages else urls
    if plan.page:
        unknown = unknown_pages(plan.page, urls)
        if unknown:
            raise UsageError(f"--page: no such page {', '.join(unknown)} (pages: {', '.join(urls)})")
        lh_urls = [u for u in urls if u in plan.page]
    result["lighthouse"] = {"ours": {}, "baseline": {}}
    result["lighthouse_runs"] = plan.runs
    load_before = [round(x, 2) for x in os.getloadavg()]
    forms = ("mobile", "mobile-dark") + (("desktop",) if plan.desktop else ())
    for name, served in zip(("ours", "baseline"), sites):
        for url in lh_urls:
            for form in forms:
                print(f"lighthouse {name} /{url} {form} ...", file=sys.stderr)
                scores = median_scores([lighthouse(served.base + url, form, tmp / "lh.json") for _ in range(plan.runs)])
                result["lighthouse"][name].setdefault(url, {})[form] = scores
    result["load_average"] = {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]}
