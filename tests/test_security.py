"""Unit tests of sitegen.security: the pages' script policy, and which links are files of the site."""

from __future__ import annotations

import pytest

from sitegen import security

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# security: the script directive, and which links are files of the site


def test_only_the_script_directive_decides_whether_inline_scripts_are_allowed():
    head = '<head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; style-src \'unsafe-inline\'"><meta name="referrer" content="no-referrer"></head>'
    assert security.page_problems(head) == []


def test_links_to_other_schemes_and_hosts_are_not_files_and_root_links_under_the_address_are(tmp_path):
    (tmp_path / "here.html").write_text("x", encoding="utf-8")
    html = ('<a href="about:blank">a</a><script src="//cdn.example/x.js"></script>'
            '<a href="/k/here.html">b</a><a href="/k/gone.html">c</a><a href="../">d</a>')
    assert security.missing_local_files(html, "index.html", tmp_path, "https://example.org/k/") == [
        "../ points outside the site", "/k/gone.html: no such file in the built site"]
    # From disk every root link is refused, each of them.
    assert security.missing_local_files(html, "index.html", tmp_path, "https://example.org/k/", relative_only=True) == [
        "../ points outside the site",
        "/k/gone.html starts at the root, which from disk is not the site's folder",
        "/k/here.html starts at the root, which from disk is not the site's folder",
    ]
