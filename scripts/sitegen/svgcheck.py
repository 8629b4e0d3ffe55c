"""SVG pictures in docs/: plain drawings, judged as a browser reads them.

Every file in docs/ is published, and an SVG opened at its own address is a document in the site's
origin, where script in it runs (GitHub Pages and a copy opened from disk send no policy header). A
pattern over the text misses what XML makes of it: `<s:script>`, with `s` bound to SVG's namespace, is
a script to the browser, as is `<h:script>` in HTML's. So the file is parsed as XML (expat, which
ElementTree wraps, because it also gives the line) and each element is judged by its namespace and
local name against an allow-list of static drawing elements, each attribute by what it can load or run.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from . import datafile
from .errors import SiteDataError

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Shapes, text, grouping, reuse and paint. Left out on purpose: script, foreignObject (HTML inside),
# animate and set (they can turn an href into a script address), style (CSS loads from elsewhere),
# image, a, and filters (feImage loads a picture).
ELEMENTS = frozenset({
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    "title", "desc", "defs", "use", "symbol", "clipPath", "mask", "linearGradient", "radialGradient",
    "stop", "pattern", "marker", "metadata",
})
XML_ATTRIBUTES = frozenset({"lang", "space"})  # xml:lang, xml:space; xml:base could move where "#id" points
PLAIN = "publish a plain drawing (in Inkscape: Save As, Plain SVG)"
# A DTD can define entities (a billion laughs) or load one from elsewhere; it is refused before expat
# reads it. These declarations can only appear in a DTD.
_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.I)
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*[^#\s'\"]", re.I)  # the first character of the address is not #
_FRAGMENT = re.compile(r"#\S*\Z")


def check_svg(raw: bytes, name: str) -> None:
    """Refuse an SVG (`name`, for the message) that is more than a plain drawing, naming the line."""
    text = datafile.decode(raw, name)
    found = _DECLARATION.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise SiteDataError(f"{name}, line {line}",
                            f"has a <!{found[1]}> declaration, which can define entities or load a DTD from elsewhere; "
                            "take it out: a picture needs none")
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True  # names come as "namespace local prefix", so a message shows them as written

    def at() -> str:
        return f"{name}, line {parser.CurrentLineNumber}"

    parser.XmlDeclHandler = lambda _version, encoding, _standalone: _check_encoding(encoding, at())
    parser.ProcessingInstructionHandler = lambda target, _data: _refuse_instruction(target, at())
    parser.StartElementHandler = lambda tag, attributes: _check_element(tag, attributes, at())
    try:
        parser.Parse(text, True)  # text, not bytes: expat reads it as UTF-8 whatever it declares
    except expat.ExpatError as error:
        raise SiteDataError(f"{name}, line {error.lineno}", f"is not well-formed XML ({expat.errors.messages[error.code]}); "
                            f"a browser would not show it: {PLAIN}") from None


def _name(expanded: str) -> tuple[str, str, str]:
    """(namespace, local name, the name as written) from expat's "namespace local prefix"."""
    parts = expanded.split(" ")
    if len(parts) == 1:
        return "", parts[0], parts[0]
    return parts[0], parts[1], f"{parts[2]}:{parts[1]}" if len(parts) == 3 else parts[1]


def _check_encoding(encoding: str | None, where: str) -> None:
    # Without an HTTP charset (a file opened from disk) the browser decodes by the declaration, and
    # an encoding such as ISO-2022-JP can hide markup behind escape sequences the check never sees.
    if encoding is not None and encoding.lower() != "utf-8":
        raise SiteDataError(where, f"declares the encoding {encoding}; save the file as UTF-8 and declare "
                            'encoding="UTF-8", or no encoding')


def _refuse_instruction(target: str, where: str) -> None:
    raise SiteDataError(where, f"has a processing instruction (<?{target} …?>), which can make a browser load a stylesheet "
                        "or a transform; take it out: a picture needs none")


def _check_element(tag: str, attributes: dict[str, str], where: str) -> None:
    """An allowed drawing element, in SVG's namespace, with attributes that neither run nor load anything."""
    namespace, local, shown = _name(tag)
    if local not in ELEMENTS:
        raise SiteDataError(where, f"has a <{shown}> element, which could run script or load from elsewhere; a picture "
                            f"may hold only {', '.join(sorted(ELEMENTS, key=str.lower))}: {PLAIN}")
    if namespace != SVG:
        place = f"in the namespace {namespace}" if namespace else "in no namespace"
        raise SiteDataError(where, f"has a <{shown}> element {place}, which a browser does not read as part of the "
                            f'drawing; write xmlns="{SVG}" on the <svg> element, and no other namespace')
    for attribute, value in attributes.items():
        _check_attribute(attribute, value, shown, where)


def _check_attribute(expanded: str, value: str, element: str, where: str) -> None:
    """No handler, no CSS of its own, and references only to the drawing's own parts ("#id")."""
    namespace, local, shown = _name(expanded)
    if namespace == XML and local in XML_ATTRIBUTES:
        return
    if namespace not in ("", XLINK) or (namespace == XLINK and local != "href"):
        raise SiteDataError(where, f"has the attribute {shown} on <{element}>, which is not part of a plain drawing; "
                            f"take it out: {PLAIN}")
    if local.lower().startswith("on"):
        raise SiteDataError(where, f"has an event handler ({shown} on <{element}>), which runs script; take it out: "
                            "a picture needs none")
    if local == "style":
        raise SiteDataError(where, f"has a style attribute on <{element}>, whose CSS can load from elsewhere; write each "
                            'property as its own attribute instead (fill="#0b4a63", not style="fill:#0b4a63")')
    if local == "href" and not _FRAGMENT.match(value):
        raise SiteDataError(where, f'has a link out ({shown}="{value}" on <{element}>); a picture may refer only to '
                            'its own parts, as href="#id"')
    # Presentation attributes are CSS: url() can load from elsewhere, and a backslash escape (u\72l) can spell url(.
    if _OUTSIDE_URL.search(value) or "\\" in value:
        raise SiteDataError(where, f'has an outside reference or a CSS escape ({shown}="{value}" on <{element}>); refer '
                            "only to the drawing's own parts, as url(#id), and write values without backslashes")
