"""The demo renderer: exact masks (class at each pixel centre), every class present, determinism."""
import os
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
import render  # noqa: E402
from dgs_rng import latent_from_seed  # noqa: E402

R = render.RESOLUTION


def _params(**over):
    """Mid-range parameters with overrides, as a batch of one."""
    p = {name: np.array([(lo + hi) / 2], np.float32) for name, lo, hi in render.PARAM_TABLE}
    for k, v in over.items():
        p[k] = np.array([v], np.float32)
    return p


def test_every_class_appears_in_seeded_samples():
    z = np.stack([latent_from_seed(s, render.Z_DIM) for s in range(48)])
    _, mask = render.render_z(z)
    counts = np.bincount(mask.ravel(), minlength=len(render.CLASSES))
    assert len(counts) == len(render.CLASSES)
    assert (counts > 0).all(), counts
    # Every class shows up in most single faces too, not just in one odd sample.
    per_image = np.array([[np.any(m == c) for c in range(len(render.CLASSES))] for m in mask])
    assert per_image.mean(axis=0).min() > 0.5, per_image.mean(axis=0)


def test_same_z_gives_the_same_face():
    z = latent_from_seed(7, render.Z_DIM)
    p1, p2 = render.params_from_z(z), render.params_from_z(z.copy())
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)
    (a_rgb, a_mask), (b_rgb, b_mask) = render.render(p1), render.render(p2)
    assert np.array_equal(a_rgb, b_rgb) and np.array_equal(a_mask, b_mask)
    assert a_rgb.shape == (3, R, R) and a_rgb.dtype == np.float32
    assert a_mask.shape == (R, R) and a_mask.dtype == np.uint8
    assert a_rgb.min() >= -1.0 and a_rgb.max() <= 1.0
    other_rgb, _ = render.render(render.params_from_z(latent_from_seed(8, render.Z_DIM)))
    assert np.abs(other_rgb - a_rgb).mean() > 0.05


def test_params_stay_in_their_documented_ranges():
    z = np.random.default_rng(0).standard_normal((256, render.Z_DIM)) * 3
    p = render.params_from_z(z)
    for name, lo, hi in render.PARAM_TABLE:
        assert p[name].min() >= min(lo, hi) - 1e-6 and p[name].max() <= max(lo, hi) + 1e-6, name


@pytest.mark.parametrize("rotation,offset_x,offset_y,scale", [(0.0, 0.0, 0.0, 1.0), (0.2, 0.07, -0.05, 0.9)])
def test_face_outline_in_mask_is_the_ellipse_at_pixel_centres(rotation, offset_x, offset_y, scale):
    fw, fh = 0.55, 0.68
    p = _params(rotation=rotation, offset_x=offset_x, offset_y=offset_y, scale=scale, face_w=fw, face_h=fh,
                chin_taper=0.0)
    _, mask = render.render(p)
    t = (np.arange(R) + 0.5) / R * 2 - 1
    y, x = np.meshgrid(t, t, indexing="ij")
    dx, dy = x - offset_x, y - offset_y
    u = (np.cos(rotation) * dx + np.sin(rotation) * dy) / scale
    v = (-np.sin(rotation) * dx + np.cos(rotation) * dy) / scale
    inside = (u / fw) ** 2 + (v / fh) ** 2 < 1
    # Inside the face ellipse only face parts (or the fringe) are drawn; outside it only background,
    # neck, back hair and ears. So the set of "face" classes must match the ellipse pixel for pixel.
    face_parts = np.isin(mask, [render.SKIN, render.EYE, render.IRIS, render.BROW, render.NOSE, render.MOUTH])
    fringe = mask == render.HAIR
    assert np.array_equal(face_parts | (fringe & inside), inside)
    assert not (face_parts & ~inside).any()


def test_image_is_supersampled_at_edges_but_the_mask_is_not(monkeypatch):
    p = render.params_from_z(latent_from_seed(3, render.Z_DIM))
    rgb, mask = render.render(p)
    assert set(np.unique(mask)) <= set(range(len(render.CLASSES)))
    monkeypatch.setattr(render, "SUPERSAMPLE", 1)
    point_rgb, point_mask = render.render(p)
    # The mask is the class at the pixel centre either way; the image differs only where a pixel's
    # footprint crosses a part boundary (a 3x3 neighbourhood with more than one class).
    assert np.array_equal(mask, point_mask)
    pad = np.pad(mask, 1, mode="edge")
    neigh = np.stack([pad[1 + dy:1 + dy + R, 1 + dx:1 + dx + R] for dy in (-1, 0, 1) for dx in (-1, 0, 1)])
    edge = (neigh != mask[None]).any(axis=0)
    diff = np.abs(rgb - point_rgb).max(axis=0)
    assert diff[edge].mean() > 4 * diff[~edge].mean()
    assert diff[edge].max() > 0.2
