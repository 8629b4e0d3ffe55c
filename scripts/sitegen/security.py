"""Hardened pages: Content-Security-Policy, referrer policy, safe external links, host headers.

Pure functions over HTML text. The CSP must be computed from the page exactly as it
is served, so the hook calls `harden_page` after every other post-page step.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from urllib.parse import unquote, urlsplit

from . import markup

REFERRER_POLICY = "no-referrer"

# Only the site's own origin. Scripts additionally need the hash of each inline script
# the theme writes (material's small localStorage helpers); never 'unsafe-inline'.
BASE_POLICY = MappingProxyType({
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "worker-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
})

# Only honoured in an HTTP header, not in a <meta> tag.
HEADER_ONLY_POLICY = MappingProxyType({"frame-ancestors": ("'none'",)})

PERMISSIONS_POLICY = (
    "accelerometer=(), browsing-topics=(), camera=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)

# material fingerprints its bundles: main.57a0d79d.min.css, search.a7633da7.min.js (+ .map).
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?$")
IMMUTABLE = "public, max-age=31536000, immutable"

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_SRC = re.compile(r"\bsrc\s*=", re.I)
_JS_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})
_CSP_META = re.compile(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', re.I)
_REFERRER_META = re.compile(r'\s*<meta name="referrer"[^>]*>', re.I)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_A_TAG = re.compile(r"""<a\s(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
_REL = markup.attribute_pattern("rel")


# The inline scripts a page may carry: mkdocs-material's own two, recognised by their whole text
# (the first names the page's way back to the site root, which differs with its depth). The site's
# own scripts are files. Anything else inline, however it got into a page, stops the build.
_THEME_SCOPE = (
    '__md_scope=new URL("{base}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
    "__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+\".\"+e)),"
    "__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem(a.pathname+\".\"+e,JSON.stringify(_))}}catch(e){{}}}}"
)
_BASE = r"(?:\.|\.\.(?:/\.\.)*|/(?:[A-Za-z0-9._~-]+/)*)"
ALLOWED_INLINE_SCRIPTS = MappingProxyType({
    "the theme's storage helpers": re.compile(
        re.escape(_THEME_SCOPE.format(base="\0")).replace(re.escape("\0"), _BASE)
    ),
    "the theme's tab restorer": re.compile(re.escape(
        'var target=document.getElementById(location.hash.slice(1));'
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
    )),
})


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run.

    Data blocks (`application/ld+json`, material's `application/json` config) are not
    executed, so CSP does not govern them.
    """
    found = []
    for m in _SCRIPT.finditer(html):
        attrs, body = m.group(1), m.group(2)
        if _SRC.search(attrs):
            continue
        kind = markup.attribute(attrs, "type") or ""
        if kind.strip().lower() in _JS_TYPES:
            found.append(body)
    return found


def allowed_inline(body: str) -> bool:
    return any(pattern.fullmatch(body) for pattern in ALLOWED_INLINE_SCRIPTS.values())


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_script_hashes(html: str) -> list[str]:
    """CSP sources ('sha256-...') for the page's allowed inline scripts, and only those."""
    return sorted({script_hash(body) for body in inline_scripts(html) if allowed_inline(body)})


def _serialise(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


def content_security_policy(script_hashes: list[str], *, header: bool = False, offline: bool = False) -> str:
    """The policy text for a page (meta) or for the whole site (HTTP header).

    `offline`: the copy opened from disk. There, search runs through the iframe-worker
    shim, which writes an inline script containing the folder the copy was unpacked
    to, so no build-time hash can match it; scripts are still limited to the copy's
    own files plus inline ones, and nothing may come from any other host.
    """
    policy = {name: list(sources) for name, sources in BASE_POLICY.items()}
    if offline:
        policy["script-src"].append("'unsafe-inline'")
    else:
        policy["script-src"] += sorted(set(script_hashes))
    if header:
        policy.update(HEADER_ONLY_POLICY)
    return _serialise(policy)


def _is_external(href: str, own_host: str) -> bool:
    parts = urlsplit(href.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return False
    return parts.hostname != own_host


def secure_external_links(html: str, own_host: str = "") -> str:
    """Add rel="noopener noreferrer" to every link that leaves the site, keeping other rel words."""

    def fix(m: re.Match) -> str:
        tag = m.group(0)
        href = markup.attribute(tag, "href")
        if href is None or not _is_external(href, own_host):
            return tag
        rel = markup.attribute(tag, "rel")
        words = (rel or "").split()
        words += [w for w in ("noopener", "noreferrer") if w not in words]
        if rel is None:
            return tag[:-1].rstrip("/").rstrip() + f' rel="{" ".join(words)}">'
        return _REL.sub(f'rel="{" ".join(words)}"', tag, count=1)

    return _A_TAG.sub(fix, html)


def harden_page(html: str, site_url: str = "", *, csp: bool = True, offline: bool = False) -> str:
    """The page with safe external links, a referrer policy and (unless `csp` is off) a CSP meta tag.

    The meta tags go right after `<meta charset>` so they govern everything that follows.
    Running it twice gives the same page.
    """
    html = secure_external_links(html, urlsplit(site_url).hostname or "")
    html = _CSP_META.sub("", _REFERRER_META.sub("", html))
    tags = f'\n      <meta name="referrer" content="{REFERRER_POLICY}">'
    if csp:
        policy = content_security_policy(inline_script_hashes(html), offline=offline)
        tags = f'\n      <meta http-equiv="Content-Security-Policy" content="{policy}">' + tags
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + tags + html[anchor.end() :]


class _Active(HTMLParser):
    """What in a page could run script: handler attributes, javascript: URLs, scripts from elsewhere."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>: an inline event handler (blocked by the policy)")
            elif name in self.URL_ATTRIBUTES and value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=\"{value[:40]}\">: a javascript: URL (blocked by the policy)")
        if tag == "script":
            src = dict(attrs).get("src")
            if src and urlsplit(src).netloc:
                self.problems.append(f"<script src=\"{src[:60]}\">: a script from another host")

    handle_startendtag = handle_starttag


def page_problems(html: str, *, offline: bool = False) -> list[str]:
    """What would break or weaken the page under its own policy (a post-build check).

    An inline script that is not on the allow-list (content, a template or a hook put it
    there), or an allowed one whose hash is missing because a step changed the page after
    the policy was computed; inline event handlers and javascript: URLs.
    """
    problems = []
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    if meta is None:
        return ["no Content-Security-Policy meta tag"]
    directives = dict(
        (d.split(None, 1) + [""])[:2] for d in (part.strip() for part in meta.group(1).split(";")) if d
    )
    scripts = directives.get("script-src", directives.get("default-src", ""))
    if ("'unsafe-inline'" in scripts and not offline) or "'unsafe-eval'" in scripts:
        problems.append("policy allows unsafe inline scripts or eval")
    for body in inline_scripts(html):
        if not allowed_inline(body):
            problems.append(f"an inline script that is not on the allow-list: {' '.join(body.split())[:60]!r}")
        elif not offline and script_hash(body) not in meta.group(1):
            problems.append(f"inline script {script_hash(body)} is not allowed by the page's policy")
    active = _Active()
    active.feed(html)
    active.close()
    problems += active.problems
    if f'<meta name="referrer" content="{REFERRER_POLICY}">' not in html:
        problems.append("no referrer policy meta tag")
    return problems


def site_headers(script_hashes: list[str]) -> list[tuple[str, str]]:
    """The HTTP headers every file of the site is sent with, whatever the host: `_headers`,
    `.htaccess` and the nginx configuration are all written from this one list."""
    return [
        ("Content-Security-Policy", content_security_policy(script_hashes, header=True)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", REFERRER_POLICY),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]


def headers_file(script_hashes: list[str], asset_paths: list[str]) -> str:
    """A `_headers` file (Netlify, Cloudflare Pages) with the site-wide policy.

    `asset_paths` are the site's files as URL paths ("/assets/..."); fingerprinted ones
    may be cached for a year because a new build gives them a new name.
    """
    lines = [
        "# Written by the build (scripts/sitegen/security.py); do not edit by hand.",
        "/*",
        *(f"  {name}: {value}" for name, value in site_headers(script_hashes)),
    ]
    for path in sorted(p for p in asset_paths if FINGERPRINTED.search(p)):
        lines += [path, f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


_LOCAL_REF = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_NOT_A_FILE = ("mailto:", "tel:", "sms:", "data:", "javascript:", "#")


def missing_local_files(
    html: str, name: str, site: Path, site_url: str, *, skip_suffixes: tuple[str, ...] = (), relative_only: bool = False
) -> list[str]:
    """Links and sources in the page at `name` (relative to `site`) whose file is not in `site`.

    Catches what MkDocs cannot see: generated links to PDFs, preview images, redirect
    targets and the theme's own assets. Absolute links to other hosts are not followed;
    root-relative ones (the 404 page's) are read from `site_url`'s path, or, with
    `relative_only` (the copy opened from disk, where `/` is the disk's root), refused.
    """
    base_path = urlsplit(site_url).path or "/"
    missing = []
    for match in _LOCAL_REF.finditer(html):
        ref = unescape(match.group(1) if match.group(1) is not None else match.group(2)).strip()
        parts = urlsplit(ref)
        if not ref or ref.startswith(_NOT_A_FILE) or parts.scheme or parts.netloc:
            continue
        path = unquote(parts.path)
        if not path:
            continue
        if path.startswith("/"):
            if relative_only:
                missing.append(f"{ref} starts at the root, which from disk is not the site's folder")
                continue
            if not path.startswith(base_path):
                missing.append(f"{ref} is outside the site's address {site_url}")
                continue
            resolved = posixpath.normpath(path[len(base_path):]) if path != base_path else "."
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
        if resolved.startswith("../") or resolved == "..":
            missing.append(f"{ref} points outside the site")
            continue
        target = site / resolved
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() and not path.endswith(skip_suffixes or ("\0",)):
            missing.append(f"{ref}: no such file in the built site")
    return sorted(set(missing))
