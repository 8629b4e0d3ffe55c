"""Unit tests of pipeline.finish: each page's text goes through PAGE_EDITS, in their order, in memory."""

from __future__ import annotations

import pytest

from types import SimpleNamespace

from pipeline import finish
from pipeline.report import Report
from sitegen import public_urls, security, themefix

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)

SITE_URL = "https://example.org/k/"
PAGE = (
    '<html><head><meta charset="utf-8"><link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css"></head>'
    '<body><input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">\n\n   \n'
    '<article><p>See <a href="../privacy/">our privacy page</a> and <a href="https://other.example/">elsewhere</a>.</p></article>'
    "</body></html>"
)


def staged(tmp_path, *, offline: bool = False) -> finish.Staged:
    settings = SimpleNamespace(site_url=SITE_URL, offline=offline, directory_urls=not offline)
    uses = SimpleNamespace(where="docs/uses.md", address="/uses/", title="Uses")
    site = SimpleNamespace(settings=settings, pages={"uses.md": uses}, sources={},
                           url=lambda src: src.removesuffix(".md") + (".html" if offline else "/"),
                           public_urls=public_urls.PublicUrls(moved={"/old/uses/": "/uses/", "/uses/#a": "/uses/#b"}),
                           by_address=lambda address: uses if address == "/uses/" else None)
    return finish.Staged(tmp_path, site, Report(), cache=tmp_path)


def test_the_page_edits_run_in_this_order_the_printed_ones_first():
    assert [(edit.name, edit.printed) for edit in finish.PAGE_EDITS] == [
        ("theme css", True), ("print", True), ("theme fixes", False), ("harden", False), ("whitespace", False),
    ]


def test_the_pages_are_edited_in_memory_up_to_printing_then_after_it(tmp_path):
    build = staged(tmp_path)
    build.pages.update({"uses/index.html": PAGE, "404.html": PAGE})
    build.renamed["main.0123abcd.min.css"] = "main.89abcdef.min.css"
    finish.edit_pages(build, printed=True)
    printed = dict(build.pages)
    for html in printed.values():
        assert "main.89abcdef.min.css" in html and "main.0123abcd" not in html
    # Print furniture on the site's own pages only: the 404 page is no page of the site's.
    assert 'data-print-href="https://example.org/k/privacy/"' in printed["uses/index.html"]
    assert "data-print-href" not in printed["404.html"]
    assert list(tmp_path.iterdir()) == []  # nothing written yet

    finish.edit_pages(build, printed=False)
    for name, html in build.pages.items():
        by_hand = themefix.collapse_whitespace(security.harden_page(themefix.fix_page(printed[name]), SITE_URL, csp=True))
        assert html == by_hand
        assert 'rel="noopener noreferrer"' in html and "autocomplete" not in html and "\n\n" not in html
    assert list(tmp_path.iterdir()) == []


def test_each_edit_is_a_pure_function_of_the_text(tmp_path):
    build = staged(tmp_path)
    for edit in finish.PAGE_EDITS:
        assert edit.run(PAGE, "uses/index.html", build) == edit.run(PAGE, "uses/index.html", build)
    assert finish.stylesheet_names(PAGE, "uses/index.html", build) == PAGE  # nothing renamed yet
    assert finish.print_furniture(PAGE, "search/index.html", build) == PAGE


def test_the_offline_copy_prints_public_addresses(tmp_path):
    build = staged(tmp_path, offline=True)
    assert build.markdown_of == {"uses.html": "uses.md"}
    out = finish.print_furniture(PAGE.replace("../privacy/", "privacy.html"), "uses.html", build)
    assert 'data-print-href="https://example.org/k/privacy/"' in out


def test_pages_are_written_where_they_belong(tmp_path):
    build = staged(tmp_path)
    build.pages.update({"index.html": "<p>home</p>", "old/deep/index.html": "<p>moved</p>"})
    finish.write_pages(build)
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>home</p>"
    assert (tmp_path / "old/deep/index.html").read_text(encoding="utf-8") == "<p>moved</p>"


def test_redirect_pages_are_made_in_memory_and_the_offline_copy_has_no_404_page(tmp_path):
    build = staged(tmp_path)
    build.pages["404.html"] = "<p>Not found</p>"
    finish.redirects(build)
    assert sorted(build.pages) == ["404.html", "old/uses/index.html"]
    assert build.pages["old/uses/index.html"] == public_urls.render_redirect("/old/uses/", "/uses/", SITE_URL, "Uses")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["robots.txt"]  # the page is written with the others

    offline = staged(tmp_path / "offline", offline=True)
    (tmp_path / "offline").mkdir()
    (tmp_path / "offline/404.html").write_text("<p>Not found</p>", encoding="utf-8")
    offline.pages["404.html"] = "<p>Not found</p>"
    finish.redirects(offline)
    assert offline.pages == {} and list((tmp_path / "offline").iterdir()) == []


def test_each_page_is_read_once(tmp_path):
    (tmp_path / "uses").mkdir()
    (tmp_path / "uses/index.html").write_text("<p>uses</p>", encoding="utf-8")
    (tmp_path / "index.html").write_text("<p>home</p>", encoding="utf-8")
    (tmp_path / "style.css").write_text("p{}", encoding="utf-8")
    build = staged(tmp_path)
    finish.read(build)
    assert build.pages == {"index.html": "<p>home</p>", "uses/index.html": "<p>uses</p>"}


def test_the_pages_are_written_before_printing_only_when_chromium_has_pdfs_to_print(tmp_path, monkeypatch):
    build = staged(tmp_path)
    build.pages["uses/index.html"] = "<p>as printed</p>"
    printed: list[str] = []
    monkeypatch.setattr(finish.pdfprint, "targets", lambda site: [])
    monkeypatch.setattr(finish.pdfprint, "print_jobs",
                        lambda folder, site_url, jobs, report: printed.append((folder / "uses/index.html").read_text(encoding="utf-8")))
    monkeypatch.setattr(finish.pdfprint, "from_cache", lambda *args: [])  # every PDF from the cache
    finish.pdf(build)
    assert printed == [] and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(finish.pdfprint, "from_cache", lambda *args: ["one PDF to print"])
    finish.pdf(build)
    assert printed == ["<p>as printed</p>"]


def test_gz_copies_come_from_the_cache_byte_for_byte_and_a_changed_file_is_compressed_anew(tmp_path):
    import gzip

    from sitegen import servers

    compress = finish._gzip_kept_in(tmp_path / "gz")
    text = b"<p>ketamine</p>\n" * 200
    assert compress(text) == servers.gzip9(text)
    kept = list((tmp_path / "gz").iterdir())
    assert len(kept) == 1
    kept[0].write_bytes(b"what the cache holds")  # a second build reads the cache, not the file
    assert compress(text) == b"what the cache holds"
    changed = text + b"<p>esketamine</p>\n"
    assert gzip.decompress(compress(changed)) == changed
    assert len(list((tmp_path / "gz").iterdir())) == 2
