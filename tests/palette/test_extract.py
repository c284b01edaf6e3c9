"""Brand colours from a logo: clusters in OKLab, the background and near-greys discounted, deterministic."""

import pytest
import torch

from themes.palette.extract import extract_colours

from .helpers import de00

WHITE, RED, BLUE, BLACK, TEAL = (255, 255, 255), (0xE5, 0x39, 0x35), (0x1E, 0x88, 0xE5), (0x21, 0x21, 0x21), (0, 0x89, 0x7B)


def _logo(background=WHITE, size=(120, 200)):
    img = torch.empty(*size, 3, dtype=torch.uint8)
    img[:] = torch.tensor(background, dtype=torch.uint8)
    img[20:100, 10:70] = torch.tensor(RED, dtype=torch.uint8)  # emblem
    img[30:90, 80:190] = torch.tensor(BLACK, dtype=torch.uint8)  # wordmark: the largest shape, but grey
    img[50:70, 25:55] = torch.tensor(BLUE, dtype=torch.uint8)  # dot inside the emblem
    noise = torch.randint(-6, 7, img.shape, generator=torch.Generator().manual_seed(1))
    return (img.to(torch.int16) + noise).clamp(0, 255).to(torch.uint8)  # scanner/JPEG-like noise


def test_logo_colours_come_out_most_prominent_first_with_the_background_dropped_and_grey_discounted():
    colours = extract_colours(_logo())
    hexes = [c["hex"] for c in colours]
    assert de00(hexes[0], "#E53935") < 3.0  # the red emblem outranks the larger black wordmark
    assert any(de00(h, "#1E88E5") < 3.0 for h in hexes)
    assert all(de00(h, "#FFFFFF") > 5.0 for h in hexes)  # the white field is not a brand colour
    black = [c for c in colours if de00(c["hex"], "#212121") < 5.0]
    assert black and black[0]["share"] < colours[0]["share"]
    assert sum(c["share"] for c in colours) == pytest.approx(1.0, abs=0.02)


def test_a_coloured_background_is_recognised_from_the_border():
    hexes = [c["hex"] for c in extract_colours(_logo(background=(0xFF, 0xF3, 0xE0)))]
    assert all(de00(h, "#FFF3E0") > 5.0 for h in hexes)
    assert de00(hexes[0], "#E53935") < 3.0


def test_transparent_pixels_are_ignored_and_extraction_is_deterministic():
    rgba = torch.zeros(60, 60, 4, dtype=torch.uint8)  # fully transparent black field
    rgba[10:50, 10:50] = torch.tensor((*TEAL, 255), dtype=torch.uint8)
    first = extract_colours(rgba)
    assert first == extract_colours(rgba)
    assert len(first) == 1 and first[0]["hex"] == "#00897B"


def test_an_image_that_is_only_background_gives_no_colours_and_bad_input_is_a_value_error():
    assert extract_colours(torch.full((10, 10, 3), 255, dtype=torch.uint8)) == []
    with pytest.raises(ValueError, match="RGB or RGBA"):
        extract_colours(torch.zeros(10, 10))
    with pytest.raises(ValueError, match="n must be"):
        extract_colours(_logo(), n=0)


def test_an_all_grey_logo_still_yields_its_greys():
    img = torch.full((40, 40, 3), 255, dtype=torch.uint8)
    img[10:30, 10:30] = torch.tensor(BLACK, dtype=torch.uint8)
    assert de00(extract_colours(img)[0]["hex"], "#212121") < 1.0
