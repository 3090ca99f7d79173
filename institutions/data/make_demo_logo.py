"""Draw the demo's coat of arms, institutions/data/demo_logo.png: an original emblem (a
shield with a star, a rice-and-cotton wreath, a river and a ribbon), not a real region's
lambang. The PNG is a project file; this script is how it was made:

    .venv/bin/python institutions/data/make_demo_logo.py
"""

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = 600  # drawn at 2x, then halved for smooth edges
GOLD, GREEN, BLUE, RED, WHITE, BLACK = (
    (232, 176, 32),
    (20, 120, 60),
    (30, 90, 170),
    (190, 30, 40),
    (255, 255, 255),
    (20, 20, 20),
)


def shield(w, h, top, inset=0):
    """The outline of a heater shield: a flat top, straight sides, a pointed bottom."""
    left, right = w * 0.18 + inset, w * 0.82 - inset
    points = [(left, top + inset), (right, top + inset), (right, h * 0.55)]
    for step in range(1, 20):
        t = step / 20
        points.append(
            (right - (right - w / 2) * t, h * 0.55 + (h * 0.88 - inset - h * 0.55) * t**0.7)
        )
    points.append((w / 2, h * 0.88 - inset))
    return points + [(w - x, y) for x, y in reversed(points[2:-1])]


def star(cx, cy, outer, inner):
    return [
        (
            cx + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            cy - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]


def draw(path):
    w = h = SIZE * 2
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.polygon(shield(w, h, h * 0.08), fill=BLACK)
    d.polygon(shield(w, h, h * 0.08, inset=14), fill=GOLD)
    d.polygon(shield(w, h, h * 0.08, inset=34), fill=GREEN)
    # The star above, the river across the lower half.
    d.polygon(star(w / 2, h * 0.27, w * 0.1, w * 0.04), fill=GOLD, outline=BLACK)
    for row in range(3):
        y = h * 0.5 + row * h * 0.055
        wave = [(x, y + 14 * math.sin(x / 38)) for x in range(int(w * 0.22), int(w * 0.78), 6)]
        d.line(wave, fill=WHITE if row != 1 else BLUE, width=22)
    # The wreath round the star: rice grains on the left, cotton bolls on the right.
    for i in range(7):
        angle = math.radians(130 + i * 17)
        x, y = w / 2 + w * 0.22 * math.cos(angle), h * 0.3 - h * 0.2 * math.sin(angle)
        d.ellipse((x - 14, y - 24, x + 14, y + 24), fill=GOLD, outline=BLACK, width=3)
        x2 = w - x
        d.ellipse((x2 - 17, y - 17, x2 + 17, y + 17), fill=WHITE, outline=BLACK, width=3)
    # The ribbon at the foot.
    d.rounded_rectangle(
        (w * 0.14, h * 0.86, w * 0.86, h * 0.95), radius=18, fill=RED, outline=BLACK, width=6
    )
    d.line((w * 0.24, h * 0.905, w * 0.76, h * 0.905), fill=WHITE, width=10)
    image.resize((SIZE, SIZE), Image.LANCZOS).save(path, optimize=True)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "demo_logo.png"
    draw(target)
    print(f"wrote {target}")
