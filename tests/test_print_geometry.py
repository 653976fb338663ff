"""The print edition's sizes: KDP's gutter steps, the layout run again as the gutter grows, the spine,
custom trims within the printers' limits, and the colours written in CMYK."""

from __future__ import annotations

import pytest

from pressroom.exporters import OptionError
from pressroom.exporters.pdf.printready.colour import load_profile, stylesheet_in_cmyk
from pressroom.exporters.pdf.printready.geometry import cover_size, custom_trim, gutter_for, spine_width, TRIMS
from pressroom.exporters.pdf.printready.interior import settled_gutter


@pytest.mark.parametrize(("pages", "gutter"), [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625),
                                               (500, 0.625), (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875)])
def test_the_gutter_follows_kdps_table(pages, gutter):
    assert gutter_for(pages) == gutter


def test_a_count_past_a_step_lays_the_book_out_again_with_the_wider_gutter():
    laid_out = []

    def lay_out(gutter):
        laid_out.append(gutter)
        return {0.375: 152, 0.5: 155}[gutter]

    assert settled_gutter(lay_out, lambda pages: pages) == (155, 0.5)
    assert laid_out == [0.375, 0.5]


def test_a_wider_gutter_that_brings_the_count_back_below_its_step_is_kept():
    counts = {0.375: 151, 0.5: 150}
    assert settled_gutter(lambda gutter: counts[gutter], lambda pages: pages) == (150, 0.5)


def test_the_cover_is_two_trims_a_spine_and_bleed():
    assert spine_width(120, "cream") == pytest.approx(0.3)
    width, height = cover_size(TRIMS["6x9"], 120, "cream")
    assert (width, height) == (pytest.approx(12.55), pytest.approx(9.25))


def test_a_custom_trim_within_the_limits_is_taken_in_inches_or_millimetres():
    assert (custom_trim("5.06x7.81", "--custom-trim").width, custom_trim("140x216mm", "x").height) == (
        5.06, pytest.approx(216 / 25.4))


@pytest.mark.parametrize("size", ["30x2", "3x9", "6x12", "six by nine"])
def test_a_custom_trim_outside_the_limits_is_refused_naming_where_it_came_from(size):
    with pytest.raises(OptionError, match="--custom-trim"):
        custom_trim(size, "--custom-trim")


def test_greys_print_in_black_ink_alone_and_colours_through_the_profile():
    profile = load_profile(None, "bundled").data
    css = stylesheet_in_cmyk("a { color: #555; background: #8a2b0e; }", profile)
    assert "color: device-cmyk(0 0 0 0.667)" in css
    assert "#" not in css and css.count("device-cmyk(") == 2


def test_a_profile_that_is_not_cmyk_is_refused(tmp_path):
    from PIL import ImageCms

    rgb = tmp_path / "screen.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(OptionError, match="screen.icc: is a RGB"):
        load_profile(rgb, "--icc")
    with pytest.raises(OptionError, match="cannot be read"):
        load_profile(tmp_path / "missing.icc", "--icc")
