"""Checks for the exercises of the Euler's method chapter (examples/textbook.html)."""

import math


def check_euler_step(euler_step):
    """Prints whether `euler_step(f, t, y, h)` takes one explicit Euler step.

    Returns nothing: a cell ending in this call shows the verdict only, not a value as well.
    """
    cases = [
        (lambda t, y: -y, 0.0, 1.0, 0.1, 0.9),
        (lambda t, y: t, 1.0, 2.0, 0.5, 2.5),
        (lambda t, y: y * t, 2.0, 3.0, 0.25, 4.5),
    ]
    for f, t, y, h, expected in cases:
        got = euler_step(f, t, y, h)
        if got is None or not math.isclose(got, expected):
            print(f"Not yet: euler_step(f, t={t}, y={y}, h={h}) gave {got}, expected {expected}.")
            return
    print("Correct: euler_step takes one Euler step.")
