#!/usr/bin/python3
"""make_icons.py: draws static/favicon.svg's design (a blue rounded square, a white frame and a
stroke from its centre to its corner) into static/favicon.ico (16, 32 and 48 pixels, 32-bit BMP
images: every browser and crawler reads them) and static/apple-touch-icon.png (180x180, opaque:
iOS rounds the corners itself). Run it again after changing favicon.svg; the outputs are committed.
Python's standard library only (zlib, struct): no image library needed."""
import os
import struct
import sys
import zlib

BLUE = (0x1F, 0x5F, 0xA8)
WHITE = (0xFF, 0xFF, 0xFF)
SS = 8  # subsamples per pixel side


def in_round_rect(x, y, r):
    """Inside the 16x16 square with corners of radius r."""
    if not (0 <= x <= 16 and 0 <= y <= 16):
        return False
    cx = min(max(x, r), 16 - r)
    cy = min(max(y, r), 16 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_white(x, y):
    """On the frame (M4 4h8v8H4z, stroke 1.5) or the stroke M9 9l3 3 (butt ends)."""
    h = 0.75
    if 4 - h <= x <= 12 + h and 4 - h <= y <= 12 + h and not (4 + h < x < 12 - h and 4 + h < y < 12 - h):
        return True
    dx, dy = x - 9, y - 9
    t = (dx * 3 + dy * 3) / 18.0
    if 0 <= t <= 1:
        px, py = 9 + 3 * t, 9 + 3 * t
        return (x - px) ** 2 + (y - py) ** 2 <= h * h
    return False


def render(size, radius):
    """size x size RGBA rows, top first."""
    rows = []
    for j in range(size):
        row = []
        for i in range(size):
            cover = white = 0
            for sj in range(SS):
                for si in range(SS):
                    x = (i + (si + 0.5) / SS) * 16.0 / size
                    y = (j + (sj + 0.5) / SS) * 16.0 / size
                    if in_round_rect(x, y, radius):
                        cover += 1
                        white += in_white(x, y)
            n = SS * SS
            if cover == 0:
                row.append((0, 0, 0, 0))
                continue
            f = white / cover
            rgb = tuple(round(BLUE[k] * (1 - f) + WHITE[k] * f) for k in range(3))
            row.append(rgb + (round(255 * cover / n),))
        rows.append(row)
    return rows


def png(rows, opaque):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(v for px in r for v in (px[:3] if opaque else px)) for r in rows)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def bmp(rows):
    """An ICO image: BITMAPINFOHEADER (height doubled), BGRA bottom-up, then the AND mask."""
    n = len(rows)
    head = struct.pack("<IiiHHIIiiII", 40, n, 2 * n, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(bytes((px[2], px[1], px[0], px[3])) for r in reversed(rows) for px in r)
    stride = ((n + 31) // 32) * 4
    mask = bytearray()
    for r in reversed(rows):
        line = bytearray(stride)
        for i, px in enumerate(r):
            if px[3] == 0:
                line[i // 8] |= 0x80 >> (i % 8)
        mask += line
    return head + pixels + bytes(mask)


def ico(sizes):
    images = [bmp(render(s, 3)) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for s, data in zip(sizes, images):
        out += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


def main():
    here = os.path.dirname(os.path.abspath(sys.argv[0]))
    with open(os.path.join(here, "favicon.ico"), "wb") as f:
        f.write(ico([16, 32, 48]))
    with open(os.path.join(here, "apple-touch-icon.png"), "wb") as f:
        f.write(png(render(180, 0), True))


if __name__ == "__main__":
    main()
