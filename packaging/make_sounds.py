"""Synthesize the game's sounds into assets/sounds/ (mono, 16-bit, 22,050 Hz WAV).

    python packaging/make_sounds.py            # rewrite assets/sounds/*.wav
    python packaging/make_sounds.py --out DIR  # somewhere else (the tests compare)

Every sound is made here from sine waves, envelopes and seeded noise, with the standard library
only, so the files are ours (MIT, like the code) and the same bytes come out on every machine;
``tests/test_sound.py`` regenerates them and compares. Each is short (under a second) and quiet
enough to sit under a facilitator's voice.
"""

from __future__ import annotations

import argparse
import math
import random
import struct
import wave
from collections.abc import Callable
from pathlib import Path

RATE = 22050
PEAK = 0.55  # of full scale: room to mix two sounds without clipping
ROOT = Path(__file__).resolve().parent.parent

Wave = list[float]


def tone(
    freq: float,
    seconds: float,
    attack: float = 0.005,
    decay: float = 6.0,
    partials: tuple[tuple[float, float], ...] = ((1.0, 1.0),),
) -> Wave:
    """A note: ``partials`` as (frequency ratio, amplitude), a short attack, an exponential decay."""
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        env = min(1.0, t / attack) * math.exp(-decay * t)
        out.append(env * sum(a * math.sin(2 * math.pi * freq * r * t) for r, a in partials))
    return out


def glide(f0: float, f1: float, seconds: float, decay: float = 4.0) -> Wave:
    """A tone sliding from ``f0`` to ``f1`` (the phase is integrated, so it does not click)."""
    n = int(RATE * seconds)
    out, phase = [], 0.0
    for i in range(n):
        t = i / RATE
        f = f0 + (f1 - f0) * (i / n)
        phase += 2 * math.pi * f / RATE
        env = min(1.0, t / 0.01) * math.exp(-decay * t)
        out.append(env * (math.sin(phase) + 0.3 * math.sin(2 * phase)))
    return out


def noise(seconds: float, decay: float, seed: int) -> Wave:
    rng = random.Random(seed)
    return [rng.uniform(-1, 1) * math.exp(-decay * i / RATE) for i in range(int(RATE * seconds))]


def mix(*parts: tuple[float, Wave]) -> Wave:
    """Lay waves over each other, each starting at its offset in seconds."""
    length = max(int(at * RATE) + len(w) for at, w in parts)
    out = [0.0] * length
    for at, w in parts:
        start = int(at * RATE)
        for i, v in enumerate(w):
            out[start + i] += v
    return out


def scale(w: Wave, gain: float) -> Wave:
    return [v * gain for v in w]


def choice() -> Wave:  # a soft wooden click: the choice was taken
    return mix((0, tone(1320, 0.06, 0.001, 60, ((1, 1), (2.7, 0.3)))), (0, scale(noise(0.02, 300, 1), 0.25)))


def trap() -> Wave:  # two falling tones: "uh-oh"
    return mix((0, glide(523, 440, 0.16, 6)), (0.17, glide(415, 311, 0.32, 5)))


def event() -> Wave:  # a small gong: everybody, look up
    bell = ((1, 1.0), (2.01, 0.45), (2.76, 0.3), (5.4, 0.12))
    return mix((0, tone(196, 0.9, 0.004, 4.2, bell)), (0, scale(noise(0.03, 200, 2), 0.2)))


def task() -> Wave:  # a bright rising pair: a task is done
    chime = ((1, 1.0), (3, 0.15))
    return mix((0, tone(784, 0.18, 0.003, 14, chime)), (0.09, tone(1175, 0.3, 0.003, 10, chime)))


def ending() -> Wave:  # a short fanfare: C E G C'
    notes = (523.25, 659.25, 783.99, 1046.5)
    brass = ((1, 1.0), (2, 0.35), (3, 0.15))
    parts = [
        (k * 0.12, tone(f, 0.5 if k < 3 else 0.9, 0.01, 4 if k < 3 else 2.6, brass))
        for k, f in enumerate(notes)
    ]
    return mix(*parts)


def countdown() -> Wave:  # a wood-block tick for the last seconds of a lock-out
    return tone(880, 0.09, 0.001, 45, ((1, 1), (1.5, 0.4)))


SOUNDS: dict[str, Callable[[], Wave]] = {
    "choice": choice,
    "trap": trap,
    "event": event,
    "task": task,
    "ending": ending,
    "countdown": countdown,
}


def write(path: Path, w: Wave) -> None:
    top = max(1e-9, max(abs(v) for v in w))
    frames = b"".join(struct.pack("<h", round(v / top * PEAK * 32767)) for v in w)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def make(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make_wave in SOUNDS.items():
        path = folder / f"{name}.wav"
        write(path, make_wave())
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "sounds")
    for path in make(parser.parse_args().out):
        print(f"{path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
