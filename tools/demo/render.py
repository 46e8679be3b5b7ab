"""Procedural cartoon faces with exact part masks: the data the demo generator is fitted to.

`params_from_z(z)` turns a latent z (float32, Z_DIM) into renderer parameters by a fixed rule;
`render_batch(params)` draws the faces. The mask of a pixel is the class of the part that covers the
pixel's *centre* (exact, evaluated analytically, no blending); the image is the same scene drawn at
SUPERSAMPLE x SUPERSAMPLE points per pixel and averaged, so edges look smooth. Because the demo
generator is fitted to this renderer, the renderer's masks are honest labels for the generator's
samples (docs/demo-model.md).

Everything is numpy and vectorised over a batch; coordinates are canvas units in [-1, 1] (x right,
y down); the face is drawn in its own frame (u, v), rotated, scaled and shifted onto the canvas.
"""
from __future__ import annotations

import math

import numpy as np

RESOLUTION = 64
SUPERSAMPLE = 4
Z_DIM = 64

CLASSES = [
    # (name, colour shown in the labeling tool, hotkey)
    ("background", "#000000", "`"),
    ("skin", "#f2b48c", "1"),
    ("hair", "#6b3e1e", "2"),
    ("eye", "#ffffff", "3"),
    ("iris", "#2f7fd8", "4"),
    ("brow", "#c03a2b", "5"),
    ("nose", "#f39c12", "6"),
    ("mouth", "#e8336d", "7"),
    ("ear", "#8e44ad", "8"),
    ("neck", "#27ae60", "9"),
]
BACKGROUND, SKIN, HAIR, EYE, IRIS, BROW, NOSE, MOUTH, EAR, NECK = range(len(CLASSES))

# Parameter table: params[name] = lo + (hi - lo) * Phi(zn[index]), zn = z / rms(z) (StyleGAN's
# pixel norm, which the generator's mapping also applies first). The order is the z index.
PARAM_TABLE = [
    ("rotation", -0.08, 0.08),  # radians
    ("offset_x", -0.04, 0.04),
    ("offset_y", -0.03, 0.05),
    ("scale", 0.92, 1.04),
    ("face_w", 0.46, 0.60),
    ("face_h", 0.60, 0.74),
    ("chin_taper", 0.00, 0.30),
    ("skin_tone", 0.0, 1.0),  # position along SKIN_RAMP
    ("hair_tone", 0.0, 1.0),  # position along HAIR_RAMP
    ("hair_length", -0.15, 0.95),  # lowest v of the back hair
    ("hair_volume", 1.05, 1.30),
    ("fringe_y", -0.55, -0.30),
    ("fringe_wave", 0.00, 0.07),
    ("fringe_phase", 0.0, 2 * math.pi),
    ("eye_dx", 0.19, 0.27),
    ("eye_y", -0.13, 0.00),
    ("eye_size", 0.085, 0.125),
    ("eye_open", 0.50, 0.90),
    ("iris_tone", 0.0, 1.0),  # position along IRIS_RAMP
    ("gaze_x", -1.0, 1.0),
    ("gaze_y", -1.0, 1.0),
    ("brow_gap", 0.12, 0.18),
    ("brow_tilt", -0.35, 0.35),
    ("brow_thick", 0.028, 0.048),
    ("nose_len", 0.10, 0.18),
    ("nose_w", 0.045, 0.085),
    ("mouth_y", 0.32, 0.44),
    ("mouth_w", 0.13, 0.24),
    ("mouth_open", 0.022, 0.075),
    ("smile", -0.05, 0.10),
    ("lip_tone", 0.0, 1.0),  # position along LIP_RAMP
    ("ear_size", 0.11, 0.17),
    ("neck_w", 0.17, 0.26),
    ("bg_tone", 0.0, 1.0),  # position along BG_RAMP
    ("bg_angle", 0.0, 2 * math.pi),
    ("light_angle", 0.0, 2 * math.pi),
    ("light_strength", 0.04, 0.20),
    ("hair_stripe_freq", 18.0, 34.0),
    ("hair_stripe_phase", 0.0, 2 * math.pi),
]
PARAM_NAMES = [name for name, _, _ in PARAM_TABLE]

# Colour ramps (sRGB in [0, 1]); a tone in [0, 1] is interpolated piecewise-linearly along a ramp, so
# colours vary continuously with z (a regression fit cannot follow jumps).
SKIN_RAMP = np.array([[1.00, 0.87, 0.77], [0.96, 0.76, 0.62], [0.84, 0.62, 0.45], [0.62, 0.42, 0.28],
                      [0.42, 0.27, 0.17]], np.float32)
HAIR_RAMP = np.array([[0.08, 0.06, 0.05], [0.35, 0.20, 0.10], [0.62, 0.36, 0.14], [0.90, 0.72, 0.38],
                      [0.72, 0.72, 0.74], [0.55, 0.16, 0.10], [0.20, 0.25, 0.55]], np.float32)
IRIS_RAMP = np.array([[0.35, 0.20, 0.10], [0.20, 0.45, 0.25], [0.20, 0.45, 0.80], [0.45, 0.45, 0.50]],
                     np.float32)
LIP_RAMP = np.array([[0.80, 0.30, 0.32], [0.62, 0.18, 0.22], [0.85, 0.45, 0.45]], np.float32)
BG_RAMP = np.array([[0.55, 0.75, 0.90], [0.60, 0.85, 0.65], [0.95, 0.85, 0.55], [0.90, 0.60, 0.60],
                    [0.70, 0.62, 0.88], [0.82, 0.82, 0.82]], np.float32)
EYE_WHITE = np.array([0.97, 0.97, 0.95], np.float32)


def _phi(x: np.ndarray) -> np.ndarray:
    """Standard normal CDF, elementwise (numpy has no erf; the arrays here are tiny)."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * (1.0 + erf(np.asarray(x, np.float64) / math.sqrt(2.0)))


def params_from_z(z: np.ndarray) -> dict[str, np.ndarray]:
    """Renderer parameters from latents z, [Z_DIM] or [B, Z_DIM] -> {name: float array [B]}.

    zn = z / sqrt(mean(z^2) + 1e-8); params[name] = lo + (hi - lo) * Phi(zn[i]) with (name, lo, hi) =
    PARAM_TABLE[i]. Components beyond len(PARAM_TABLE) only enter through the normalisation.
    """
    z = np.asarray(z, np.float64)
    if z.ndim == 1:
        z = z[None]
    if z.shape[1] < len(PARAM_TABLE):
        raise ValueError(f"z needs at least {len(PARAM_TABLE)} components, got {z.shape[1]}.")
    zn = z / np.sqrt(np.mean(z * z, axis=1, keepdims=True) + 1e-8)
    u = _phi(zn[:, : len(PARAM_TABLE)])
    return {name: (lo + (hi - lo) * u[:, i]).astype(np.float32) for i, (name, lo, hi) in enumerate(PARAM_TABLE)}


def _ramp(ramp: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Colours at tones t [B] along a ramp [K, 3] -> [B, 3]."""
    x = np.clip(t, 0.0, 1.0) * (len(ramp) - 1)
    i0 = np.minimum(np.floor(x).astype(int), len(ramp) - 2)
    f = (x - i0)[:, None]
    return ramp[i0] * (1 - f) + ramp[i0 + 1] * f


def _frame(x: np.ndarray, y: np.ndarray, p: dict[str, np.ndarray]):
    """Canvas points [B, N] -> face-frame points (u, v): undo the shift, rotation and scale."""
    c = lambda k: p[k][:, None]  # noqa: E731
    dx, dy = x - c("offset_x"), y - c("offset_y")
    cos, sin = np.cos(c("rotation")), np.sin(c("rotation"))
    u = (cos * dx + sin * dy) / c("scale")
    v = (-sin * dx + cos * dy) / c("scale")
    return u, v


def _ellipse(u, v, cu, cv, ru, rv):
    """Normalised squared radius of (u, v) in an axis-aligned ellipse (< 1 inside)."""
    return ((u - cu) / ru) ** 2 + ((v - cv) / rv) ** 2


def _scene(u: np.ndarray, v: np.ndarray, p: dict[str, np.ndarray]):
    """Class of each face-frame point [B, N], drawn back to front, plus geometry the colouring reuses."""
    c = lambda k: p[k][:, None]  # noqa: E731
    fw, fh = c("face_w"), c("face_h")
    cls = np.zeros(u.shape, np.uint8)

    cls[(np.abs(u) < c("neck_w")) & (v > 0.3)] = NECK
    hv = c("hair_volume")
    cls[(_ellipse(u, v, 0.0, -0.06, fw * hv, fh * hv) < 1) & (v < c("hair_length"))] = HAIR
    ear_u = fw + 0.015
    ear_r = c("ear_size")
    ears = np.minimum(_ellipse(u, v, -ear_u, 0.02, ear_r * 0.6, ear_r), _ellipse(u, v, ear_u, 0.02, ear_r * 0.6, ear_r))
    cls[ears < 1] = EAR
    # Face: an ellipse whose half-width narrows below the centre line (the chin).
    taper = 1.0 - c("chin_taper") * np.clip(v / fh, 0.0, 1.0) ** 2
    face_r = (u / (fw * taper)) ** 2 + (v / fh) ** 2
    cls[face_r < 1] = SKIN
    fringe_line = c("fringe_y") + c("fringe_wave") * np.sin(u * 14.0 + c("fringe_phase"))
    cls[(_ellipse(u, v, 0.0, 0.0, fw * 1.04, fh * 1.04) < 1) & (v < fringe_line)] = HAIR

    # Brows: tilted flat ellipses, mirrored (the tilt lifts the outer ends when positive).
    ex, ey, er = c("eye_dx"), c("eye_y"), c("eye_size")
    brow_v = ey - c("brow_gap")
    tilt = c("brow_tilt")
    for side in (-1.0, 1.0):
        du, dv = u - side * ex, v - brow_v
        t = side * tilt
        bu = np.cos(t) * du + np.sin(t) * dv
        bv = -np.sin(t) * du + np.cos(t) * dv
        cls[(bu / (er * 1.25)) ** 2 + (bv / c("brow_thick")) ** 2 < 1] = BROW

    # Eyes, and the iris clipped to the eye.
    eye_rv = er * c("eye_open")
    eye_r = np.minimum(_ellipse(u, v, -ex, ey, er, eye_rv), _ellipse(u, v, ex, ey, er, eye_rv))
    cls[eye_r < 1] = EYE
    iris_rad = er * 0.55
    iu, iv = c("gaze_x") * er * 0.35, c("gaze_y") * eye_rv * 0.3
    iris_d = np.minimum(_ellipse(u, v, -ex + iu, ey + iv, iris_rad, iris_rad),
                        _ellipse(u, v, ex + iu, ey + iv, iris_rad, iris_rad))
    cls[(iris_d < 1) & (eye_r < 1)] = IRIS

    # Nose: a triangle, apex up, base on the nose line.
    n_base = 0.16 + 0.3 * (c("mouth_y") - 0.32)
    n_top = n_base - c("nose_len")
    n_t = (v - n_top) / c("nose_len")
    cls[(n_t > 0) & (n_t < 1) & (np.abs(u) < c("nose_w") * n_t)] = NOSE

    # Mouth: a lens around a parabola whose corners rise with `smile`.
    mw = c("mouth_w")
    mu = np.clip(u / mw, -1.0, 1.0)
    centre = c("mouth_y") - c("smile") * mu ** 2
    half = c("mouth_open") * np.sqrt(np.maximum(0.0, 1.0 - mu ** 2)) + 0.012
    mouth_d = np.abs(v - centre) / half
    cls[(np.abs(u) < mw) & (mouth_d < 1)] = MOUTH
    return cls, {"face_r": face_r, "iris_d": iris_d, "mouth_d": mouth_d}


def _grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Canvas coordinates of the centres of an n x n grid over [-1, 1]^2, flattened [n*n]."""
    t = (np.arange(n, dtype=np.float32) + 0.5) / n * 2.0 - 1.0
    y, x = np.meshgrid(t, t, indexing="ij")
    return x.ravel(), y.ravel()


_GRAIN = np.random.default_rng(20240611).standard_normal((RESOLUTION, RESOLUTION)).astype(np.float32)


def _colours(cls, geo, x, y, p):
    """RGB [B, N, 3] in [0, 1] of classified points: flat part colours, lighting and textures."""
    b = cls.shape[0]
    skin = _ramp(SKIN_RAMP, p["skin_tone"])
    hair = _ramp(HAIR_RAMP, p["hair_tone"])
    bg0 = _ramp(BG_RAMP, p["bg_tone"])
    table = np.zeros((b, len(CLASSES), 3), np.float32)
    table[:, BACKGROUND] = bg0
    table[:, SKIN] = skin
    table[:, HAIR] = hair
    table[:, EYE] = EYE_WHITE
    table[:, IRIS] = _ramp(IRIS_RAMP, p["iris_tone"])
    table[:, BROW] = hair * 0.6
    table[:, NOSE] = skin * 0.86
    table[:, MOUTH] = _ramp(LIP_RAMP, p["lip_tone"])
    table[:, EAR] = skin * 0.92
    table[:, NECK] = skin * 0.78
    rgb = np.take_along_axis(table, cls[..., None].astype(np.int64).repeat(3, axis=2), axis=1)

    c = lambda k: p[k][:, None]  # noqa: E731
    shade = np.ones(cls.shape, np.float32)
    # Background: a soft gradient along bg_angle.
    g = np.cos(c("bg_angle")) * x + np.sin(c("bg_angle")) * y
    shade = np.where(cls == BACKGROUND, 1.0 + 0.12 * g, shade)
    # Skin: spherical falloff towards the face outline.
    shade = np.where(cls == SKIN, 1.05 - 0.18 * np.clip(geo["face_r"], 0, 1), shade)
    # Hair: strand stripes.
    stripes = np.sin(x * c("hair_stripe_freq") + 0.5 * y * c("hair_stripe_freq") + c("hair_stripe_phase"))
    shade = np.where(cls == HAIR, 1.0 + 0.10 * stripes, shade)
    # Iris: dark pupil in the middle; mouth: darker along its centre line.
    shade = np.where(cls == IRIS, np.where(geo["iris_d"] < 0.25, 0.25, 1.0), shade)
    shade = np.where(cls == MOUTH, 0.55 + 0.45 * np.clip(geo["mouth_d"], 0, 1), shade)
    # One light for the whole scene.
    light = 1.0 + c("light_strength") * (np.cos(c("light_angle")) * x + np.sin(c("light_angle")) * y)
    return rgb * (shade * light)[..., None]


def render_batch(p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Draw a batch: params {name: [B]} -> (rgb float32 [B, 3, R, R] in [-1, 1], mask uint8 [B, R, R])."""
    b = len(p["scale"])
    r, s = RESOLUTION, SUPERSAMPLE
    # Image: R*s x R*s points, coloured, then averaged over each pixel's s x s block.
    xs, ys = _grid(r * s)
    xs, ys = np.broadcast_to(xs, (b, xs.size)), np.broadcast_to(ys, (b, ys.size))
    u, v = _frame(xs, ys, p)
    cls_ss, geo = _scene(u, v, p)
    rgb = _colours(cls_ss, geo, xs, ys, p).reshape(b, r, s, r, s, 3).mean(axis=(2, 4))
    rgb = rgb + 0.012 * _GRAIN[None, :, :, None]  # fixed film grain (the same for every image)
    rgb = np.clip(rgb, 0.0, 1.0).transpose(0, 3, 1, 2) * 2.0 - 1.0
    # Mask: the class exactly at each pixel centre.
    xc, yc = _grid(r)
    uc, vc = _frame(np.broadcast_to(xc, (b, xc.size)), np.broadcast_to(yc, (b, yc.size)), p)
    mask, _ = _scene(uc, vc, p)
    return rgb.astype(np.float32), mask.reshape(b, r, r)


def render(params: dict[str, np.ndarray | float]) -> tuple[np.ndarray, np.ndarray]:
    """Draw one face: params {name: scalar or [1]} -> (rgb float32 [3, R, R] in [-1, 1], mask uint8 [R, R])."""
    p = {k: np.asarray(v, np.float32).reshape(-1)[:1] for k, v in params.items()}
    rgb, mask = render_batch(p)
    return rgb[0], mask[0]


def render_z(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """render_batch(params_from_z(z)) for z [B, Z_DIM]."""
    return render_batch(params_from_z(z))
