"""The round seal (印章) drawn as vector: a red ring, the authority's name around a five-pointed star,
as on a paper 决定书 (GB/T 9704: the seal over the 落款 and the date). It is the visible appearance of
the determination's signature (determinations.signing): a one-page PDF per authority, drawn once and
kept beside the signing certificates."""

from __future__ import annotations

import math
from pathlib import Path

RED = "#d40000"
SIZE_MM = 42  # the diameter of an official seal


def star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


def glyph_path(char: str, size: float) -> tuple[str, float, float]:
    """The outline of `char` (Noto Sans CJK SC bold) as SVG path data, y downwards, with its width
    and height: the seal carries no font, only shapes (a few KB instead of an embedded face)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as MplPath
    from matplotlib.textpath import TextPath

    path = TextPath((0, 0), char, size=size, prop=FontProperties(family="Noto Sans CJK SC", weight="bold"))
    extents = path.get_extents()
    parts = []
    for vertices, code in path.iter_segments():
        points = [(vertices[i] - extents.x0 - extents.width / 2, -(vertices[i + 1] - extents.y0 - extents.height / 2))
                  for i in range(0, len(vertices), 2)]
        xy = " ".join(f"{x:.2f} {y:.2f}" for x, y in points)
        command = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q", MplPath.CURVE4: "C",
                   MplPath.CLOSEPOLY: "Z"}[code]
        parts.append("Z" if command == "Z" else f"{command}{xy}")
    return "".join(parts), extents.width, extents.height


def seal_svg(name: str) -> str:
    """The seal in a 100×100 box: the name's characters spread over the upper 240° of the ring,
    each upright to the centre, the star in the middle."""
    c, ring, text_radius = 50.0, 47.0, 36.0
    chars = list(name)
    span = min(250.0, 22.0 * len(chars))
    start = -90 - span / 2
    step = span / max(len(chars) - 1, 1)
    size = min(13.0, 2 * math.pi * text_radius * (span / 360) / max(len(chars), 1) * 1.05)
    glyphs = []
    for i, ch in enumerate(chars):
        angle = math.radians(start + i * step)
        x, y = c + text_radius * math.cos(angle), c + text_radius * math.sin(angle)
        rotate = math.degrees(angle) + 90
        outline, _width, _height = glyph_path(ch, size)
        glyphs.append(f'<path transform="translate({x:.2f} {y:.2f}) rotate({rotate:.2f})" d="{outline}"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{SIZE_MM}mm" height="{SIZE_MM}mm">'
            f'<circle cx="{c}" cy="{c}" r="{ring}" fill="none" stroke="{RED}" stroke-width="3"/>'
            f'<polygon points="{star(c, c, 13)}" fill="{RED}"/>'
            f'<g fill="{RED}">'
            + "".join(glyphs) + "</g></svg>")


SEAL_PAGE = f"""#set page(width: {SIZE_MM}mm, height: {SIZE_MM}mm, margin: 0pt)
#image(bytes(sys.inputs.svg), format: "svg", width: {SIZE_MM}mm, height: {SIZE_MM}mm)"""


def seal_pdf(name: str, target: Path) -> Path:
    """The seal as a one-page PDF of its own size (the signature appearance), written once."""
    import typst

    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(typst.compile(SEAL_PAGE.encode(), sys_inputs={"svg": seal_svg(name)}))
    partial.replace(target)
    return target
