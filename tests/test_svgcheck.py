"""Unit tests of sitegen.svgcheck: an SVG in docs/ is a plain drawing, judged by namespace and name as XML."""

from __future__ import annotations

import pytest

from sitegen import svgcheck
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

NAME = "docs/images/chart.svg"
OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
ALLOWED = ("circle, clipPath, defs, desc, ellipse, g, line, linearGradient, marker, mask, metadata, path, pattern, "
           "polygon, polyline, radialGradient, rect, stop, svg, symbol, text, title, tspan, use")
PLAIN = "publish a plain drawing (in Inkscape: Save As, Plain SVG)"
NO_OTHER = 'write xmlns="http://www.w3.org/2000/svg" on the <svg> element, and no other namespace'
OUTSIDE = "refer only to the drawing's own parts, as url(#id), and write values without backslashes"


def refusal(svg: str | bytes) -> str:
    with pytest.raises(SiteDataError) as error:
        svgcheck.check_svg(svg.encode("utf-8") if isinstance(svg, str) else svg, NAME)
    return str(error.value)


def element(line: int, shown: str) -> str:
    return (f"{NAME}, line {line}: has a <{shown}> element, which could run script or load from elsewhere; "
            f"a picture may hold only {ALLOWED}: {PLAIN}")


def test_a_plain_drawing_passes():
    svgcheck.check_svg((
        '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!-- made by hand -->\n' + OPEN +
        '<title xml:lang="en">A chart</title><desc>Two bars</desc>\n'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#0b4a63"/></linearGradient>'
        '<clipPath id="c"><rect width="5" height="5"/></clipPath><symbol id="s"><circle r="1"/></symbol>'
        '<marker id="m"><path d="M0 0L1 1"/></marker><pattern id="p" href="#g"><ellipse rx="1" ry="2"/></pattern>'
        '<mask id="k"><polygon points="0,0 1,1 0,1"/></mask><radialGradient id="r" xlink:href="#g"/></defs>\n'
        '<g fill="url(#g)" clip-path="url( \'#c\' )" mask="url(#k)"><rect width="4" height="8"/><line x2="1"/>'
        '<polyline points="0,0 1,1" marker-end="url(#m)"/></g><use href="#s"/><use xlink:href="#s"/>\n'
        '<text xml:space="preserve">caf\u00e9 <tspan><![CDATA[a < b]]></tspan></text><metadata/>\n</svg>\n'
    ).encode("utf-8"), NAME)


@pytest.mark.parametrize(("svg", "message"), [
    # The namespace prefix that hid each from the old pattern (s:script, with s bound to SVG's namespace).
    (OPEN + '<rect width="1" height="1"/>\n<s:script xmlns:s="http://www.w3.org/2000/svg">document.title=1</s:script></svg>',
     element(3, "s:script")),
    (OPEN + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">window.x=1</h:script></svg>', element(2, "h:script")),
    (OPEN + '<s:foreignObject xmlns:s="http://www.w3.org/2000/svg"/></svg>', element(2, "s:foreignObject")),
    (OPEN + '<s:animate xmlns:s="http://www.w3.org/2000/svg" attributeName="href" values="javascript:x()"/></svg>',
     element(2, "s:animate")),
    (OPEN + '<s:set xmlns:s="http://www.w3.org/2000/svg" attributeName="href" to="javascript:x()"/></svg>', element(2, "s:set")),
    (OPEN + '<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="https://evil.example/"/></svg>', element(2, "h:iframe")),
    (OPEN + "<script>x()</script></svg>", element(2, "script")),
    (OPEN + "<style>@import url(https://evil.example/x.css);</style></svg>", element(2, "style")),
    (OPEN + '<image href="#i"/></svg>', element(2, "image")),
    (OPEN + '<a href="#x"><text>x</text></a></svg>', element(2, "a")),
    (OPEN + '<filter id="f"><feImage href="#x"/></filter></svg>', element(2, "filter")),
], ids=["svg-prefix", "xhtml-prefix", "foreignobject", "animate", "set", "iframe", "script", "style", "image", "a", "filter"])
def test_an_element_outside_the_drawing_elements_is_refused_however_it_is_spelt(svg, message):
    assert refusal(svg) == message


@pytest.mark.parametrize(("svg", "message"), [
    (OPEN + '<h:path xmlns:h="http://www.w3.org/1999/xhtml" d="M0 0"/></svg>',
     f"{NAME}, line 2: has a <h:path> element in the namespace http://www.w3.org/1999/xhtml, which a browser does not "
     f"read as part of the drawing; {NO_OTHER}"),
    ('<svg viewBox="0 0 1 1"><path d="M0 0"/></svg>',
     f"{NAME}, line 1: has a <svg> element in no namespace, which a browser does not read as part of the drawing; {NO_OTHER}"),
], ids=["xhtml", "none"])
def test_an_element_outside_svgs_namespace_is_refused(svg, message):
    assert refusal(svg) == message


@pytest.mark.parametrize(("attribute", "message"), [
    ('onload="x()"', "has an event handler (onload on <path>), which runs script; take it out: a picture needs none"),
    ('ONCLICK="x()"', "has an event handler (ONCLICK on <path>), which runs script; take it out: a picture needs none"),
    ('style="fill: red"', 'has a style attribute on <path>, whose CSS can load from elsewhere; write each property as its '
     'own attribute instead (fill="#0b4a63", not style="fill:#0b4a63")'),
    ('href="https://evil.example/x.svg#a"', 'has a link out (href="https://evil.example/x.svg#a" on <path>); a picture may '
     'refer only to its own parts, as href="#id"'),
    ('xlink:href="javascript:x()"', 'has a link out (xlink:href="javascript:x()" on <path>); a picture may refer only to '
     'its own parts, as href="#id"'),
    ('href=" #a"', 'has a link out (href=" #a" on <path>); a picture may refer only to its own parts, as href="#id"'),
    ('fill="url(https://evil.example/p.svg#g)"', f'has an outside reference or a CSS escape (fill="url(https://evil.example/p.svg#g)" on <path>); {OUTSIDE}'),
    # An entity is read before the check, so it cannot spell url( either.
    ('filter="u&#114;l( \'x.svg#f\')"', f"has an outside reference or a CSS escape (filter=\"url( 'x.svg#f')\" on <path>); {OUTSIDE}"),
    ('fill="u\\72l(https://evil.example/x)"', f'has an outside reference or a CSS escape (fill="u\\72l(https://evil.example/x)" on <path>); {OUTSIDE}'),
    ('cursor="u\\rl(x.cur)"', f'has an outside reference or a CSS escape (cursor="u\\rl(x.cur)" on <path>); {OUTSIDE}'),
    ('xml:base="https://evil.example/"', f"has the attribute xml:base on <path>, which is not part of a plain drawing; take it out: {PLAIN}"),
    ('xlink:show="new"', f"has the attribute xlink:show on <path>, which is not part of a plain drawing; take it out: {PLAIN}"),
    ('xmlns:i="http://www.inkscape.org/namespaces/inkscape" i:label="x"',
     f"has the attribute i:label on <path>, which is not part of a plain drawing; take it out: {PLAIN}"),
], ids=["handler", "handler-capitals", "style", "href", "xlink-href", "href-space", "url", "url-entity", "css-escape",
        "css-letter-escape", "xml-base", "xlink-other", "other-namespace"])
def test_an_attribute_that_runs_or_loads_something_is_refused(attribute, message):
    assert refusal(OPEN + f'<path d="M0 0"\n  {attribute}/></svg>') == f"{NAME}, line 2: {message}"


@pytest.mark.parametrize(("svg", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY lol "lol">\n]>\n' + OPEN + "<text>&lol;</text></svg>",
     "line 2: has a <!DOCTYPE> declaration, which can define entities or load a DTD from elsewhere; take it out: a picture needs none"),
    ('<!ENTITY x "y">' + OPEN + "</svg>",
     "line 1: has a <!ENTITY> declaration, which can define entities or load a DTD from elsewhere; take it out: a picture needs none"),
    ('<?xml version="1.0" encoding="ISO-2022-JP"?>\n' + OPEN + "</svg>",
     'line 1: declares the encoding ISO-2022-JP; save the file as UTF-8 and declare encoding="UTF-8", or no encoding'),
    ('<?xml version="1.0" encoding="utf8"?>\n' + OPEN + "</svg>",
     'line 1: declares the encoding utf8; save the file as UTF-8 and declare encoding="UTF-8", or no encoding'),
    ('<?xml version="1.0"?>\n<?xml-stylesheet href="https://evil.example/x.xsl" type="text/xsl"?>\n' + OPEN + "</svg>",
     "line 2: has a processing instruction (<?xml-stylesheet …?>), which can make a browser load a stylesheet or a "
     "transform; take it out: a picture needs none"),
    (OPEN + "<text>&nbsp;</text></svg>",
     f"line 2: is not well-formed XML (undefined entity); a browser would not show it: {PLAIN}"),
    (OPEN + '<s:path xmlns:t="x" d="M0 0"/></svg>', f"line 2: is not well-formed XML (unbound prefix); a browser would not show it: {PLAIN}"),
    (OPEN + "<g>\n</svg>", f"line 3: is not well-formed XML (mismatched tag); a browser would not show it: {PLAIN}"),
    # Cut short: expat says so only when told the text is all there is.
    (OPEN + "<g>\n", f"line 3: is not well-formed XML (no element found); a browser would not show it: {PLAIN}"),
    ("\n<!DOCTYPE svg>\n" + OPEN + "</svg>",
     "line 2: has a <!DOCTYPE> declaration, which can define entities or load a DTD from elsewhere; take it out: a picture needs none"),
    (b'<svg xmlns="http://www.w3.org/2000/svg">\n<title>caf\xe9</title></svg>',
     "line 2: is not UTF-8 text (byte 0xe9); save the file as UTF-8 in your editor"),
], ids=["doctype", "entity", "encoding", "encoding-alias", "stylesheet", "entity-reference", "prefix", "unclosed", "cut-short",
        "doctype-after-a-blank-line", "latin-1"])
def test_a_file_a_browser_could_read_otherwise_is_refused_before_its_elements(svg, message):
    assert refusal(svg) == f"{NAME}, {message}"
