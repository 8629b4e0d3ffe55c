"""Unit tests of sitegen.card: the link-preview image (1200x630), drawn with Pillow."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from sitegen import card
from sitegen.errors import SiteDataError

pytestmark = pytest.mark.unit  # this module's tier (tests/conftest.py)


# ---------------------------------------------------------------------------------------------
# card: the link-preview image (1200x630), drawn with Pillow

NAVY, WHITE, RULE = (11, 74, 99), (255, 255, 255), (143, 195, 214)  # #0b4a63, #ffffff, #8fc3d6


LONG_TITLE = " ".join(["esketamine"] * 14)


def _image(title="Uses", site="Site name", url="https://x.example/") -> Image.Image:
    return Image.open(io.BytesIO(card.render_card(title, site, url))).convert("RGB")


def _text_rows(image: Image.Image) -> list[tuple[int, int]]:
    """(first, last) row of each band of light pixels (text and rule), top to bottom."""
    light = image.convert("L").point(lambda v: 255 if v > 150 else 0)
    rows = [y for y in range(image.height) if light.crop((0, y, image.width, y + 1)).getbbox()]
    bands = [[rows[0], rows[0]]]
    for y in rows[1:]:
        if y == bands[-1][1] + 1:
            bands[-1][1] = y
        else:
            bands.append([y, y])
    return [tuple(b) for b in bands]


def test_card_is_white_text_on_the_sites_colour_with_a_light_rule_under_the_site_name():
    image = _image()
    assert image.getpixel((0, 0)) == NAVY and image.getpixel((1199, 629)) == NAVY
    # The rule: 160 px from the left margin (80), 6 px high, 62 px below the top margin.
    assert [image.getpixel((x, 145)) for x in (79, 80, 240, 241)] == [NAVY, RULE, RULE, NAVY]
    assert image.getpixel((160, 141)) == NAVY and image.getpixel((160, 142)) == RULE and image.getpixel((160, 149)) == NAVY
    assert WHITE in {image.getpixel((x, y)) for x in range(80, 260) for y in range(200, 280)}


def test_card_lays_out_site_name_rule_title_and_address_top_to_bottom_within_the_margins():
    image = _image()
    (name, rule, title, address) = _text_rows(image)
    assert 80 <= name[0] and name[1] < 142  # the site name, at the top margin
    assert rule == (142, 148)
    assert 190 <= title[0] and title[1] <= 480  # the title, between the rule and the address
    assert 516 <= address[0] and address[1] < 630 - 70  # the address, above the bottom margin
    # Both are drawn at 34 px, readable in a chat's thumbnail (not Pillow's tiny fallback font).
    assert name[1] - name[0] >= 20 and address[1] - address[0] >= 25
    left, _, right, _ = image.convert("L").point(lambda v: 255 if v > 150 else 0).getbbox()
    assert 80 <= left < 90 and right < 400


def test_a_short_title_is_drawn_large_and_a_long_one_wraps_smaller_within_its_space():
    short = _text_rows(_image("Uses"))[2]
    assert short[1] - short[0] >= 50  # one line at 84 px
    bands = _text_rows(_image(LONG_TITLE))
    titles = bands[2:-1]
    assert len(titles) == 4  # four lines at 48 px
    assert all(25 <= last - first < 50 for first, last in titles)
    assert 190 <= titles[0][0] and titles[-1][1] <= 480
    right = _image(LONG_TITLE).convert("L").point(lambda v: 255 if v > 150 else 0).getbbox()[2]
    assert 1000 < right <= 1200 - 80  # the lines fill the width, within the right margin


def test_the_largest_size_that_fits_is_chosen_down_to_40_px():
    font, lines = card._fit("Uses", 1040, 300)
    assert (font.size, lines) == (84, ["Uses"])
    font, lines = card._fit(LONG_TITLE, 1040, 300)
    assert (font.size, len(lines)) == (48, 4)
    # A title too long for any size is drawn at the smallest, 40 px, rather than not at all.
    font, lines = card._fit(" ".join(["esketamine"] * 60), 1040, 300)
    assert font.size == 40 and " ".join(lines) == " ".join(["esketamine"] * 60)


def test_titles_wrap_between_words_filling_each_line():
    font = card._font(40)
    assert card._wrap("a bb ccc", font, 10_000) == ["a bb ccc"]
    assert card._wrap("aaaa bbbb", font, 1) == ["aaaa", "bbbb"]  # a word wider than the line stays whole
    exact = font.getlength("aaaa bbbb")
    assert card._wrap("aaaa  bbbb cc", font, exact) == ["aaaa bbbb", "cc"]  # a line exactly as wide fits
    assert card._wrap("", font, 100) == []


def test_the_card_shows_the_address_without_scheme_or_final_slash():
    same = card.render_card("Uses", "Site", "https://x.example/info/")
    assert card.render_card("Uses", "Site", "http://x.example/info") == same
    assert card.render_card("Uses", "Site", "https://x.example/other/") != same
    assert card.render_card("Uses", "Site", "https://y.example/info/") != same
    assert card.render_card("Uses", "Other site", "https://x.example/info/") != same
    assert card.render_card("Uses", "Site", "https://x.example/info/") == same  # the same page, the same image


def test_without_freetype_the_build_stops_rather_than_draw_unreadable_previews(monkeypatch):
    monkeypatch.setattr(card.ImageFont, "load_default", lambda size=None: ImageFont.ImageFont())
    with pytest.raises(SiteDataError) as error:
        card.render_card("Uses", "Site", "https://x.example/")
    assert str(error.value) == "requirements.lock: pillow: Pillow was built without FreeType; install the pinned wheel"


def _drawn(site_name: str, title_size: int, title_lines: list[tuple[int, str]], address: str) -> Image.Image:
    """The card as its design says, drawn straight with Pillow's own font: white text on the site's colour."""
    image = Image.new("RGB", (1200, 630), NAVY)
    draw = ImageDraw.Draw(image)
    draw.text((80, 80), site_name, font=ImageFont.load_default(size=34), fill=WHITE)
    draw.rectangle((80, 142, 240, 148), fill=RULE)
    for y, line in title_lines:
        draw.text((80, y), line, font=ImageFont.load_default(size=title_size), fill=WHITE)
    draw.text((80, 516), address, font=ImageFont.load_default(size=34), fill=WHITE)
    return image


FOUR = " ".join(["esketamine"] * 4)


@pytest.mark.parametrize(
    ("title", "site_url", "size", "lines", "address"),
    [
        ("Uses", "https://x.example/", 84, [(190, "Uses")], "x.example"),
        # Four lines at 48 px, each 1.25 x 48 = 60 px below the last; a capital at the end of the
        # address is the site's own spelling and stays (only the final slash goes).
        (LONG_TITLE, "https://clinic.example.net/info/RX/", 48, [(190, FOUR), (250, FOUR), (310, FOUR), (370, "esketamine esketamine")],
         "clinic.example.net/info/RX"),
    ],
)
def test_the_card_draws_name_title_and_address_at_their_sizes_and_places(title, site_url, size, lines, address):
    # Every size and place is a design choice: 34 px stays readable in a chat's thumbnail, the title
    # starts 190 px down and wraps within 1040 px, and the address sits 80 + 34 px above the bottom.
    drawn = Image.open(io.BytesIO(card.render_card(title, "Site name", site_url))).convert("RGB")
    assert ImageChops.difference(drawn, _drawn("Site name", size, lines, address)).getbbox() is None


def test_a_title_exactly_as_tall_or_as_wide_as_its_space_fits_at_that_size():
    # The largest size that fits is chosen, and "fits" includes touching the edge: one line at 84 px is
    # 1.25 x 84 = 105 px tall, four at 48 px are 4 x 60 = 240 px.
    assert [(font.size, lines) for font, lines in [card._fit("Uses", 1040, 105), card._fit("Uses", 1040, 104)]] == [
        (84, ["Uses"]), (80, ["Uses"])]
    font, lines = card._fit(LONG_TITLE, 1040, 240)
    assert (font.size, len(lines)) == (48, 4)
    exact = ImageFont.load_default(size=84).getlength("Uses")
    assert [font.size for font, _ in [card._fit("Uses", exact, 105), card._fit("Uses", exact - 1, 105)]] == [84, 80]


def test_the_preview_png_is_compressed_as_tightly_as_pillow_can():
    # Chat apps and search engines fetch the preview on every share: the smaller file arrives sooner.
    png = card.render_card("Uses", "Site name", "https://x.example/")
    pixels = Image.open(io.BytesIO(png))
    plain, optimized = io.BytesIO(), io.BytesIO()
    pixels.save(plain, format="PNG")
    pixels.save(optimized, format="PNG", optimize=True)
    assert len(png) == len(optimized.getvalue()) < len(plain.getvalue())
